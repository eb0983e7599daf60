import ReactMarkdown from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';

/**
 * Renders user and model text as markdown, keeping single line breaks (poems, addresses and
 * chat replies rely on them). Raw HTML in the text is dropped, never rendered,
 * and react-markdown refuses javascript: and other unsafe link targets.
 */
export function Markdown({ text, className = '' }: { text: string; className?: string }) {
  return (
    <div className={`markdown ${className}`}>
      <ReactMarkdown remarkPlugins={[remarkGfm, remarkBreaks]} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
