import '@testing-library/jest-dom';

// The LogViewer of @backstage/core-components sizes itself with react-virtualized-auto-sizer,
// which renders nothing at all when its container measures 0×0, as every element does in
// jsdom. Tests give it a fixed size so that log lines render.
jest.mock('react-virtualized-auto-sizer', () => ({
  __esModule: true,
  default: (props: {
    children: (size: { width: number; height: number }) => unknown;
  }) => props.children({ width: 800, height: 600 }),
}));

// A whole tab (material-table, dialogs, drawer) takes a few seconds to render in jsdom, more
// on a busy machine; the default 5 s makes such tests fail for time alone.
jest.setTimeout(20_000);
