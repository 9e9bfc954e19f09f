import { describe, expect, it } from 'vitest';
import { parseExternalUrl } from './external-url';

describe('parseExternalUrl', () => {
  it('accepts https URLs, normalized', () => {
    expect(parseExternalUrl('https://mlflow.org/docs/latest/')?.href).toBe('https://mlflow.org/docs/latest/');
    expect(parseExternalUrl('HTTPS://Example.COM/a b')?.href).toBe('https://example.com/a%20b');
  });

  it('refuses every other scheme, credentials and garbage', () => {
    const refused = [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'steam://run/1',
      'mailto:a@example.com',
      'https://user:pass@example.com/',
      'https://user@example.com/',
      'not a url',
      '',
    ];
    for (const url of refused) expect(parseExternalUrl(url), url).toBeNull();
  });
});
