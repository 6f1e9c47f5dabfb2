import { Readable } from 'node:stream';
import { AwsChunkedDecoder } from './chunked.ts';

async function decode(parts: string[]) {
  const decoder = new AwsChunkedDecoder();
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(parts.map(p => Buffer.from(p))).pipe(
    decoder,
  ))
    out.push(chunk as Buffer);
  return { body: Buffer.concat(out).toString(), trailers: decoder.trailers };
}

describe('aws-chunked bodies', () => {
  it('decodes signed chunks split anywhere', async () => {
    const body =
      '5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=000\r\n\r\n';
    const parts = body.match(/.{1,3}/gs)!;
    expect((await decode(parts)).body).toBe('hello world');
  });

  it('decodes unsigned chunks with a trailing checksum', async () => {
    const decoded = await decode([
      '3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n',
    ]);
    expect(decoded).toEqual({
      body: 'abc',
      trailers: { 'x-amz-checksum-crc32': 'NSRBwg==' },
    });
  });

  it('refuses a body cut short', async () => {
    await expect(decode(['5\r\nhel'])).rejects.toThrow(/ended before/);
  });
});
