import express from 'express';
import type { Request, Response, Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AwsChunkedDecoder } from './chunked.ts';
import { S3Error } from './store.ts';
import type { S3Object, S3Store } from './store.ts';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xmlEscape(text: string) {
  return text.replace(
    /[<>&'"]/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[
        c
      ]!),
  );
}

function sendXml(res: Response, status: number, body: string) {
  res
    .status(status)
    .type('application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function sendError(
  req: Request,
  res: Response,
  e: unknown,
  bucket?: string,
  key?: string,
) {
  const err =
    e instanceof S3Error
      ? e
      : new S3Error(500, 'InternalError', String((e as Error)?.message ?? e));
  if (req.method === 'HEAD') {
    res.status(err.status).end();
    return;
  }
  sendXml(
    res,
    err.status,
    `<Error><Code>${err.code}</Code><Message>${xmlEscape(
      err.message,
    )}</Message>${key !== undefined ? `<Key>${xmlEscape(key)}</Key>` : ''}${
      bucket ? `<BucketName>${xmlEscape(bucket)}</BucketName>` : ''
    }<RequestId>${res.getHeader('x-amz-request-id') ?? ''}</RequestId></Error>`,
  );
}

function objectHeaders(res: Response, o: S3Object) {
  res.setHeader('ETag', o.etag);
  res.setHeader('Last-Modified', new Date(o.lastModified).toUTCString());
  res.setHeader('Content-Type', o.contentType);
  res.setHeader('Accept-Ranges', 'bytes');
  for (const [k, v] of Object.entries(o.metadata))
    res.setHeader(`x-amz-meta-${k}`, v);
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → an inclusive range, or undefined when unsatisfiable. */
function parseRange(header: string, size: number) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : undefined;
}

async function listObjectsV2(
  req: Request,
  res: Response,
  store: S3Store,
  bucket: string,
) {
  const q = req.query as Record<string, string | undefined>;
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter ?? '';
  const maxKeys = Math.min(1000, Math.max(0, Number(q['max-keys'] ?? 1000)));
  const token = q['continuation-token'];
  const after = token
    ? Buffer.from(token, 'base64url').toString('utf8')
    : q['start-after'] ?? '';
  const encode = q['encoding-type'] === 'url';
  const show = (k: string) => xmlEscape(encode ? encodeURIComponent(k) : k);
  const contents: S3Object[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = '';
  for (const o of await store.list(bucket)) {
    if (!o.key.startsWith(prefix) || o.key <= after) continue;
    const rest = o.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common =
      cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    if (common && prefixes.includes(common)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common) prefixes.push(common);
    else contents.push(o);
    last = common ? `${common}\uffff` : o.key;
  }
  sendXml(
    res,
    200,
    `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(
      bucket,
    )}</Name><Prefix>${show(prefix)}</Prefix>${
      delimiter ? `<Delimiter>${show(delimiter)}</Delimiter>` : ''
    }<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${
      contents.length + prefixes.length
    }</KeyCount><IsTruncated>${truncated}</IsTruncated>${
      token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ''
    }${
      truncated
        ? `<NextContinuationToken>${Buffer.from(last).toString(
            'base64url',
          )}</NextContinuationToken>`
        : ''
    }${
      q['start-after']
        ? `<StartAfter>${show(q['start-after'])}</StartAfter>`
        : ''
    }${encode ? '<EncodingType>url</EncodingType>' : ''}${contents
      .map(
        o =>
          `<Contents><Key>${show(o.key)}</Key><LastModified>${new Date(
            o.lastModified,
          ).toISOString()}</LastModified><ETag>${xmlEscape(
            o.etag,
          )}</ETag><Size>${
            o.size
          }</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('')}${prefixes
      .map(p => `<CommonPrefixes><Prefix>${show(p)}</Prefix></CommonPrefixes>`)
      .join('')}</ListBucketResult>`,
  );
}

/** The request body, decoded from aws-chunked when the SDK streamed it. */
function bodyOf(req: Request): Readable {
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (sha.startsWith('STREAMING-') || encoding.includes('aws-chunked')) {
    return req.pipe(new AwsChunkedDecoder());
  }
  return req;
}

async function readText(req: Request): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of bodyOf(req)) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function objectRoute(
  req: Request,
  res: Response,
  store: S3Store,
  bucket: string,
  key: string,
) {
  switch (req.method) {
    case 'PUT': {
      if (req.headers['x-amz-copy-source']) {
        throw new S3Error(
          501,
          'NotImplemented',
          'CopyObject is not served by the sandbox',
        );
      }
      const metadata: Record<string, string> = {};
      for (const [h, v] of Object.entries(req.headers)) {
        if (h.startsWith('x-amz-meta-')) metadata[h.slice(11)] = String(v);
      }
      const o = await store.put(
        bucket,
        key,
        bodyOf(req),
        String(req.headers['content-type'] ?? 'binary/octet-stream'),
        metadata,
      );
      res.setHeader('ETag', o.etag);
      res.status(200).end();
      return;
    }
    case 'GET':
    case 'HEAD': {
      const head = await store.head(bucket, key);
      const rangeHeader = req.headers.range;
      const range = rangeHeader
        ? parseRange(String(rangeHeader), head.size)
        : undefined;
      if (rangeHeader && !range) {
        res.setHeader('Content-Range', `bytes */${head.size}`);
        throw new S3Error(
          416,
          'InvalidRange',
          'The requested range is not satisfiable',
        );
      }
      objectHeaders(res, head);
      if (range) {
        res.status(206);
        res.setHeader(
          'Content-Range',
          `bytes ${range.start}-${range.end}/${head.size}`,
        );
        res.setHeader('Content-Length', String(range.end - range.start + 1));
      } else {
        res.status(200);
        res.setHeader('Content-Length', String(head.size));
      }
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const { stream } = await store.get(bucket, key, range);
      stream.pipe(res);
      return;
    }
    case 'DELETE':
      await store.delete(bucket, key);
      res.status(204).end();
      return;
    default:
      throw new S3Error(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
  }
}

async function bucketRoute(
  req: Request,
  res: Response,
  store: S3Store,
  bucket: string,
) {
  switch (req.method) {
    case 'PUT':
      await readText(req);
      if (!store.createBucket(bucket)) {
        throw new S3Error(
          409,
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
        );
      }
      res.setHeader('Location', `/${bucket}`);
      res.status(200).end();
      return;
    case 'HEAD':
      if (!store.hasBucket(bucket))
        throw new S3Error(404, 'NoSuchBucket', 'Not Found');
      res.status(200).end();
      return;
    case 'GET':
      if (!store.hasBucket(bucket))
        throw new S3Error(
          404,
          'NoSuchBucket',
          'The specified bucket does not exist',
        );
      await listObjectsV2(req, res, store, bucket);
      return;
    case 'POST': {
      if (!('delete' in req.query)) {
        throw new S3Error(
          501,
          'NotImplemented',
          'Only DeleteObjects is served on POST',
        );
      }
      const text = await readText(req);
      const keys = [...text.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map(m =>
        m[1]
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&'),
      );
      for (const k of keys) await store.delete(bucket, k);
      sendXml(
        res,
        200,
        `<DeleteResult xmlns="${NS}">${keys
          .map(k => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`)
          .join('')}</DeleteResult>`,
      );
      return;
    }
    default:
      throw new S3Error(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
  }
}

/**
 * A path-style S3 subset at `/s3`: ListBuckets, CreateBucket, HeadBucket, ListObjectsV2,
 * DeleteObjects, PutObject (plain and aws-chunked), GetObject (with Range), HeadObject,
 * DeleteObject. Signatures are not checked: it is a test double.
 */
export function s3Router(store: S3Store): Router {
  const router = express.Router();
  router.use(async (req, res) => {
    res.setHeader(
      'x-amz-request-id',
      randomBytes(8).toString('hex').toUpperCase(),
    );
    const [rawBucket, ...rest] = req.path.slice(1).split('/');
    const bucket = decodeURIComponent(rawBucket ?? '');
    const key = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
    try {
      if (!bucket) {
        const buckets = await store.listBuckets();
        sendXml(
          res,
          200,
          `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>sandbox</ID><DisplayName>sandbox</DisplayName></Owner><Buckets>${buckets
            .map(
              b =>
                `<Bucket><Name>${b.name}</Name><CreationDate>${new Date(
                  b.created,
                ).toISOString()}</CreationDate></Bucket>`,
            )
            .join('')}</Buckets></ListAllMyBucketsResult>`,
        );
      } else if (key === undefined || key === '') {
        await bucketRoute(req, res, store, bucket);
      } else {
        await objectRoute(req, res, store, bucket, key);
      }
    } catch (e) {
      if (!res.headersSent) sendError(req, res, e, bucket, key);
      else res.destroy();
    }
  });
  return router;
}
