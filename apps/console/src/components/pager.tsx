/** Previous / next over a server-paginated list, with where the page is. */
export function Pager(props: {
  offset: number;
  limit: number;
  total: number | undefined;
  onOffset: (offset: number) => void;
}) {
  const { offset, limit, total, onOffset } = props;
  const last = total === undefined ? offset + limit : Math.min(total, offset + limit);
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        ← previous
      </button>
      <span aria-live="polite">
        {total === 0 ? 'none' : `${offset + 1}–${last}`}
        {total === undefined ? '' : ` of ${total}`}
      </span>
      <button
        type="button"
        disabled={total !== undefined && offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
      >
        next →
      </button>
    </nav>
  );
}
