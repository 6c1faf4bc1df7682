// A tiny static file server for the built site, with no dependencies: serves `root` under
// `prefix` (e.g. `/docs/`) on 127.0.0.1, so that tests prove the site works from a sub-path.
// Run by hand: node tests/browser/serve.mjs output [port]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.ics': 'text/calendar; charset=utf-8',
};

/** Starts the server; resolves to { server, base } where base is the site's URL ending in `/`. */
export function serve(root, { prefix = '/', port = 0 } = {}) {
  const top = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!rel.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = path.resolve(top, '.' + path.posix.normalize('/' + rel.slice(prefix.length)));
    if (file !== top && !file.startsWith(top + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${server.address().port}${prefix}` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { base } = await serve(process.argv[2] ?? 'output', { port: Number(process.argv[3] ?? 8000) });
  console.log(`serving ${process.argv[2] ?? 'output'} at ${base}`);
}
