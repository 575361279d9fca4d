// Writes a brotli (.br) and a gzip (.gz) copy beside every compressible file of the
// built site, once, at build time: the server then sends them to browsers that
// accept them (tower-http's ServeDir, precompressed) instead of compressing the
// wasm and the scripts again on every request. Node's own zlib; no other tool.
//
//   node scripts/precompress.mjs target/site
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.svg', '.html', '.json', '.txt', '.map']);
const root = process.argv[2] ?? 'target/site';

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let before = 0;
let after = 0;
for (const path of files(root)) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
  before += raw.length;
  after += br.length;
}
console.log(`precompressed ${root}: ${before} bytes, ${after} with brotli`);
