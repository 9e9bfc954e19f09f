/** What the previews and the code view need to know about a file from its name. */

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'bmp']);
const TEXT = new Set([
  'txt', 'log', 'md', 'markdown', 'rst', 'json', 'jsonl', 'ndjson', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'csv', 'tsv',
  'py', 'pyi', 'sh', 'bash', 'zsh', 'r', 'js', 'ts', 'html', 'xml', 'sql', 'diff', 'patch', 'env', 'properties', 'mlmodel', 'lock',
]);
const TEXT_NAMES = new Set(['MLmodel', 'Dockerfile', 'Makefile', 'LICENSE', 'README', 'requirements.txt', '.gitignore', '.dockerignore']);

export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function isImageName(name: string): boolean {
  return IMAGE.has(extensionOf(name));
}

/** The image MIME type for a name (a Blob needs it for `<img>` to draw SVG), else ''. */
export function imageMimeType(name: string): string {
  const ext = extensionOf(name);
  if (!IMAGE.has(ext)) return '';
  return ext === 'svg' ? 'image/svg+xml' : ext === 'jpg' ? 'image/jpeg' : `image/${ext}`;
}

/** Likely text from its name; files without a known extension are sniffed instead. */
export function isTextName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return TEXT.has(extensionOf(name)) || TEXT_NAMES.has(base);
}

/** Monaco language ids for the languages the app registers. */
export function languageOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base === 'Dockerfile') return 'dockerfile';
  if (base === 'MLmodel') return 'yaml';
  switch (extensionOf(name)) {
    case 'py':
    case 'pyi':
      return 'python';
    case 'sh':
    case 'bash':
    case 'zsh':
      return 'shell';
    case 'yaml':
    case 'yml':
      return 'yaml';
    case 'json':
    case 'jsonl':
    case 'ndjson':
      return 'json';
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'ini':
    case 'cfg':
    case 'toml':
    case 'conf':
      return 'ini';
    case 'diff':
    case 'patch':
      return 'diff';
    default:
      return 'plaintext';
  }
}

/** True when the bytes look like text: no NUL in the first 8 KiB. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return false;
  return true;
}
