/** Read by screen readers, not shown: the page already shows each status where it belongs. */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

/**
 * The polite live region that says each move of a release. The page has one; while the
 * release drawer is open the page behind it is hidden from screen readers, so the drawer
 * carries it instead (the page's then stays empty): one voice at a time.
 */
export function ReleaseAnnouncements(props: { text: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      data-release-announcements=""
      style={visuallyHidden}
    >
      {props.text}
    </div>
  );
}
