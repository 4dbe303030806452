import { useEffect, useRef } from 'preact/hooks';
import { ComparePage } from './pages/compare-page.js';
import { ExamplePage } from './pages/example-page.js';
import { HomePage } from './pages/home-page.js';
import { RegistryPage, SubjectPage } from './pages/registry-page.js';
import { RunPage } from './pages/run-page.js';
import { RunsPage } from './pages/runs-page.js';
import { TracePage, TracesPage } from './pages/traces-page.js';
import { basePath, href, matchPath, navigate, useLocation } from './router.js';
import type { Location } from './router.js';

const sections = [
  { path: '/', label: 'Monitoring' },
  { path: '/runs', label: 'Runs' },
  { path: '/compare', label: 'Compare' },
  { path: '/registry', label: 'Registry' },
  { path: '/traces', label: 'Traces' },
] as const;

function page(location: Location) {
  const { path } = location;
  let found: Record<string, string> | null;
  if (path === '/' || path === '') return <HomePage />;
  if (path === '/runs') return <RunsPage location={location} />;
  if ((found = matchPath('/runs/:id', path))) return <RunPage runId={found['id'] as string} location={location} />;
  if ((found = matchPath('/runs/:id/examples/:index', path)))
    return <ExamplePage runId={found['id'] as string} index={found['index'] as string} />;
  if (path === '/compare') return <ComparePage location={location} />;
  if (path === '/registry') return <RegistryPage />;
  if (
    (found = matchPath('/registry/:collection/:name', path)) &&
    ['prompts', 'models'].includes(found['collection'] as string)
  )
    return <SubjectPage collection={found['collection'] as 'prompts' | 'models'} name={found['name'] as string} />;
  if (path === '/traces') return <TracesPage location={location} />;
  if ((found = matchPath('/traces/:id', path))) return <TracePage traceId={found['id'] as string} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        The console has no page at {path}. <a href={href('/')}>Go to monitoring.</a>
      </p>
    </section>
  );
}

function isCurrent(sectionPath: string, path: string): boolean {
  return sectionPath === '/' ? path === '/' : path === sectionPath || path.startsWith(`${sectionPath}/`);
}

/**
 * Follows same-origin links under the console's base without reloading the page (plain left clicks only: a
 * middle click or ctrl-click still opens a new tab).
 */
function useLinkInterception(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || anchor.target || anchor.origin !== window.location.origin) return;
      if (anchor.pathname !== basePath && !anchor.pathname.startsWith(`${basePath}/`)) return;
      event.preventDefault();
      navigate(`${anchor.pathname.slice(basePath.length) || '/'}${anchor.search}`);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}

/** The console: a header with the sections, and the page of the current location. */
export function App() {
  const location = useLocation();
  useLinkInterception();
  const firstPath = useRef(location.path);
  useEffect(() => {
    // A page reached from another: move focus to its main region so keyboard and screen reader users start there (a
    // page loaded fresh keeps the browser's own start, where the skip link comes first).
    if (location.path === firstPath.current && firstPath.current !== '') return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.path]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('/')}>
          llmops console
        </a>
        <nav aria-label="sections">
          <ul>
            {sections.map((section) => (
              <li key={section.path}>
                <a href={href(section.path)} aria-current={isCurrent(section.path, location.path) ? 'page' : undefined}>
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {page(location)}
      </main>
    </>
  );
}
