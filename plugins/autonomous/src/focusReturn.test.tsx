import { act, render, renderHook, screen } from '@testing-library/react';
import { focusKey, useFocusReturn } from './focusReturn';

describe('useFocusReturn', () => {
  it('returns focus to the trigger, or to the element that replaced it, never into the dialog', () => {
    const { result } = renderHook(() => useFocusReturn());
    const page = render(
      <>
        <button {...focusKey('release:rel-1')}>v1.0.0</button>
        <div role="dialog">
          <button>Deploy</button>
        </div>
      </>,
    );
    screen.getByRole('button', { name: 'v1.0.0' }).focus();
    // Focus moving into a dialog does not make the dialog's button the trigger.
    screen.getByRole('button', { name: 'Deploy' }).focus();
    act(() => result.current.remember());

    // A refresh re-creates the row: the trigger is gone, an equal one carries its key.
    page.rerender(
      <>
        <button key="new" {...focusKey('release:rel-1')}>
          v1.0.0 again
        </button>
      </>,
    );
    act(() => result.current.restore());
    expect(screen.getByRole('button', { name: 'v1.0.0 again' })).toHaveFocus();
  });

  it("falls back to the release's own link when the action that opened the drawer is gone", () => {
    const { result } = renderHook(() => useFocusReturn());
    const page = render(
      <button {...focusKey('rollback:rel-1')}>Roll back</button>,
    );
    screen.getByRole('button', { name: 'Roll back' }).focus();
    act(() => result.current.remember());

    page.rerender(<button {...focusKey('release:rel-1')}>v1.0.0</button>);
    act(() => result.current.restore());
    expect(screen.getByRole('button', { name: 'v1.0.0' })).toHaveFocus();
  });
});
