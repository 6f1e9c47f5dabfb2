import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LogPane } from './LogPane';

describe('LogPane', () => {
  it('shows the log as one focusable, named block without terminal colour codes', async () => {
    await renderInTestApp(
      <LogPane
        label="Build log"
        text={'\u001b[32mStep 1/2\u001b[0m : FROM node\nStep 2/2 : RUN yarn\n'}
      />,
    );
    const log = screen.getByRole('region', { name: 'Build log' });
    expect(log).toHaveAttribute('tabIndex', '0');
    expect(screen.getByText('Step 1/2 : FROM node')).toBeInTheDocument();
    // One Tab stop for the whole log, whatever its length.
    expect(log.querySelectorAll('a, button, [tabindex]')).toHaveLength(0);
  });

  it('filters lines with a named field and says how many match', async () => {
    await renderInTestApp(
      <LogPane
        label="Build log"
        text={'GET /a 200\nGET /b 500\nPOST /c 500\n'}
      />,
    );
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter the build log' }),
      '500',
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      '2 of 3 lines contain “500”',
    );
    expect(screen.queryByText('GET /a 200')).toBeNull();
    expect(screen.getByText('POST /c 500')).toBeInTheDocument();
  });
});
