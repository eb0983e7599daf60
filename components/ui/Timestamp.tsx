'use client';

import { useFormatter } from 'next-intl';

/**
 * A moment as lists show it (medium date, short time, in the reader's language and zone), or a
 * dash when there is none. The server renders it in its own zone, hence no hydration warning.
 */
export function Timestamp({ iso }: { iso: string | null }) {
  const format = useFormatter();
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
}
