import { attachmentFilename, readTextChunks } from './textStream';

function bodyOf(...chunks: Uint8Array[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach(chunk => controller.enqueue(chunk));
      controller.close();
    },
  });
}

async function collect(iterable: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const chunk of iterable) {
    out.push(chunk);
  }
  return out;
}

describe('readTextChunks', () => {
  it('keeps a character whole when its bytes are split across chunks', async () => {
    const bytes = new TextEncoder().encode('déployé ✓\n');
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"

    const chunks = await collect(
      readTextChunks(bodyOf(bytes.slice(0, split), bytes.slice(split))),
    );

    expect(chunks.join('')).toBe('déployé ✓\n');
    expect(chunks[0]).toBe('d');
  });

  it('yields nothing for a response without a body', async () => {
    expect(await collect(readTextChunks(null))).toEqual([]);
  });
});

describe('attachmentFilename', () => {
  it('reads quoted, bare and UTF-8 encoded names', () => {
    expect(attachmentFilename('attachment; filename="a b.log"')).toBe(
      'a b.log',
    );
    expect(attachmentFilename('attachment; filename=web-1.log')).toBe(
      'web-1.log',
    );
    expect(
      attachmentFilename("attachment; filename*=UTF-8''d%C3%A9ploy.log"),
    ).toBe('déploy.log');
    expect(attachmentFilename('inline')).toBeUndefined();
    expect(attachmentFilename(null)).toBeUndefined();
  });
});
