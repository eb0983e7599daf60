import Link from 'next/link';

/** The top of a project's admin sub-page: a way back to the project, the title and what the page is for. */
export function ProjectPageHeader({ slug, projectName, title, intro }: { slug: string; projectName: string; title: string; intro: string }) {
  return (
    <>
      <p className="text-sm">
        <Link href={`/admin/projects/${slug}`} className="text-brand-700 hover:underline">
          ← {projectName}
        </Link>
      </p>
      <h1 className="mb-1 text-2xl font-bold" data-testid="page-title">
        {title}
      </h1>
      <p className="mb-4 text-sm text-slate-600">{intro}</p>
    </>
  );
}
