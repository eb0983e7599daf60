/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (CI logs).
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(fraction: number, detail = '') {
      const clamped = Math.max(0, Math.min(1, fraction));
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && clamped < 1) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(clamped * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}% ${detail}   `);
      } else {
        const decile = Math.floor(clamped * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${label} ${decile * 10}% ${detail}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
