/**
 * Which piece of a required literal the index should look for. The index only pays off when
 * the literal is rare in events; fragments of paths and names present in almost every
 * Windows event (`c:\windows\system32\`, `\appdata\local\`, `.exe`) would make every rule a
 * candidate. The index therefore keys each literal by its first window of up to
 * INDEX_WINDOW characters, from the end, that is not part of such common text, and rules whose literals are
 * all common are indexed by another condition when they have one.
 */
export const INDEX_WINDOW = 8;

const COMMON_TEXT = [
  'c:\\windows\\system32\\',
  'c:\\windows\\syswow64\\',
  'c:\\windows\\winsxs\\',
  'c:\\windows\\temp\\',
  'c:\\program files (x86)\\',
  'c:\\program files\\',
  'c:\\programdata\\',
  'c:\\users\\public\\',
  '\\appdata\\local\\temp\\',
  '\\appdata\\roaming\\microsoft\\windows\\',
  '\\microsoft\\windows\\currentversion\\',
  'hklm\\software\\microsoft\\',
  'hkcu\\software\\microsoft\\',
  'hklm\\system\\currentcontrolset\\services\\',
  '\\windowspowershell\\v1.0\\powershell.exe',
  'windows powershell',
  'microsoft corporation',
  'microsoft windows',
  '\\device\\harddiskvolume',
  'nt authority\\system',
  'md5=',
  'sha1=',
  'sha256=',
  'imphash=',
  '.exe" ',
  '.dll',
  '.exe',
];

/** True when `fragment` occurs inside text found in most Windows events. */
export function isCommonText(fragment: string): boolean {
  for (const text of COMMON_TEXT) if (text.includes(fragment)) return true;
  return false;
}

/** The window of `literal` to index, and whether even that is common text. */
export function indexWindow(literal: string): {
  readonly window: string;
  readonly common: boolean;
} {
  if (literal.length <= INDEX_WINDOW) return { window: literal, common: isCommonText(literal) };
  // From the end: names and hashes are most distinctive at their tail (`imphash=…`, `\\tool.exe`).
  for (let i = literal.length - INDEX_WINDOW; i >= 0; i--) {
    const window = literal.slice(i, i + INDEX_WINDOW);
    if (!isCommonText(window)) return { window, common: false };
  }
  return { window: literal.slice(-INDEX_WINDOW), common: true };
}

/** Higher is better: how well a set of alternative literals narrows the candidates. */
export function selectivityScore(literals: readonly string[]): number {
  let min = Infinity;
  for (const literal of literals) {
    const { window, common } = indexWindow(literal);
    min = Math.min(min, common ? 0 : window.length);
  }
  return min * 16 - literals.length;
}
