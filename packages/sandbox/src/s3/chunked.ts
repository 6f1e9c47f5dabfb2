import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/**
 * Decodes an `aws-chunked` body, as the AWS SDKs stream uploads (`x-amz-content-sha256:
 * STREAMING-…`): chunks `<hex size>[;chunk-signature=…]\r\n<data>\r\n`, a zero-size chunk, then
 * optional trailers (`x-amz-checksum-crc32:…`) and an empty line. Signatures and trailing
 * checksums are not verified; `trailers` holds what came.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'header' | 'data' | 'crlf' | 'trailer' | 'done' = 'header';

  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.buffer = this.buffer.length
      ? Buffer.concat([this.buffer, chunk])
      : chunk;
    try {
      this.drain();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  _flush(done: TransformCallback) {
    if (this.state !== 'done' && this.state !== 'trailer') {
      done(new Error('the aws-chunked body ended before its last chunk'));
      return;
    }
    done();
  }

  private line(): string | undefined {
    const end = this.buffer.indexOf('\r\n');
    if (end < 0) {
      if (this.buffer.length > 8192)
        throw new Error('an aws-chunked header line is too long');
      return undefined;
    }
    const text = this.buffer.subarray(0, end).toString('latin1');
    this.buffer = this.buffer.subarray(end + 2);
    return text;
  }

  private drain() {
    for (;;) {
      switch (this.state) {
        case 'header': {
          const text = this.line();
          if (text === undefined) return;
          const size = parseInt(text.split(';')[0], 16);
          if (!Number.isFinite(size) || size < 0)
            throw new Error(`not an aws-chunked chunk header: "${text}"`);
          this.remaining = size;
          this.state = size === 0 ? 'trailer' : 'data';
          break;
        }
        case 'data': {
          if (!this.buffer.length) return;
          const take = Math.min(this.remaining, this.buffer.length);
          this.push(this.buffer.subarray(0, take));
          this.buffer = this.buffer.subarray(take);
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'crlf';
          break;
        }
        case 'crlf': {
          if (this.buffer.length < 2) return;
          this.buffer = this.buffer.subarray(2);
          this.state = 'header';
          break;
        }
        case 'trailer': {
          const text = this.line();
          if (text === undefined) return;
          if (text === '') {
            this.state = 'done';
            break;
          }
          const colon = text.indexOf(':');
          if (colon > 0)
            this.trailers[text.slice(0, colon).toLowerCase()] = text
              .slice(colon + 1)
              .trim();
          break;
        }
        default:
          this.buffer = Buffer.alloc(0);
          return;
      }
    }
  }
}
