export interface SplitResult {
  argv: string[];
  /** Set when the line cannot be split (an unclosed quote, a trailing backslash). */
  error: string | null;
}

/**
 * Splits one command line into argv the way a POSIX shell would for plain words: whitespace
 * separates words; '…' keeps everything literally; "…" keeps everything except that \" \\ \$
 * and \` are unescaped; a backslash outside quotes escapes the next character. No variable
 * expansion, globbing or operators: the run gets exactly these strings.
 */
export function shellSplit(line: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { argv, error: 'Unclosed single quote' };
      word += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i += 1;
      let closed = false;
      while (i < line.length) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i += 1;
      }
      if (!closed) return { argv, error: 'Unclosed double quote' };
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) return { argv, error: 'Trailing backslash' };
      word += line[i + 1];
      i += 2;
      continue;
    }
    word += c;
    i += 1;
  }
  if (inWord) argv.push(word);
  return { argv, error: null };
}

/** The inverse, for showing argv back as one line: words quoted only when they need it. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

function quoteWord(a: string): string {
  if (a !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  if (!a.includes("'")) return `'${a}'`;
  if (!/["\\$`]/.test(a)) return `"${a}"`;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}
