/**
 * The SigmaHQ release `cordon rules update` installs unless told otherwise: the rule set at
 * the commit Cordon's tests run against (`../shared/data/sigmahq/SOURCE.txt`), as GitHub
 * serves it as a `.tar.gz`. Its SHA-256 is pinned in `sha256` once measured from the
 * download itself; until then `--sha256` (or `CORDON_SIGMAHQ_SHA256`) must give it, or a
 * configured Ed25519 public key (`--public-key`, `CORDON_RULES_PUBLIC_KEY`: a mirror the MSSP
 * signs) must verify the archive's signature; an update with neither is refused rather than
 * trusted.
 *
 * Licence: SigmaHQ's rules are under the Detection Rule License (DRL) 1.1, which requires
 * attribution; the installed pack keeps the licence file and an ATTRIBUTION.md.
 */

export interface RulePackRelease {
  readonly pack: string;
  readonly version: string;
  readonly url: string;
  /** Hex SHA-256 of the archive; undefined when not pinned. */
  readonly sha256: string | undefined;
  /**
   * An Ed25519 public key (PEM) the archive must be signed with: the signature (64 bytes, raw
   * or base64) over the archive's bytes is fetched from `signatureUrl` (default `<url>.sig`).
   */
  readonly publicKeyPem?: string;
  readonly signatureUrl?: string;
}

export const SIGMAHQ_RELEASE: RulePackRelease = {
  pack: 'sigmahq',
  version: '8eaafff1f2845a696050e05e72ba1140ee190698',
  url: 'https://github.com/SigmaHQ/sigma/archive/8eaafff1f2845a696050e05e72ba1140ee190698.tar.gz',
  sha256: undefined,
};

export const SIGMAHQ_ATTRIBUTION = [
  '# Attribution',
  '',
  'The rules in this folder are the SigmaHQ rule set (https://github.com/SigmaHQ/sigma),',
  'written by the SigmaHQ project and its contributors; each rule names its authors in its',
  '`author` field. They are distributed under the Detection Rule License (DRL) 1.1',
  '(LICENSE.Detection.Rules.md here, or https://github.com/SigmaHQ/Detection-Rule-License).',
  'Cordon installed them unchanged; matches are reported with the rule title and id.',
  '',
].join('\n');

/** The release as the environment overrides it (`CORDON_SIGMAHQ_URL`, `_SHA256`, `_VERSION`). */
export function sigmaHqReleaseFrom(
  env: Readonly<Record<string, string | undefined>>,
  flags: {
    readonly url?: string;
    readonly sha256?: string;
    readonly version?: string;
    /** The PEM text of the public key (the CLI reads `--public-key FILE`). */
    readonly publicKeyPem?: string;
    readonly signatureUrl?: string;
  } = {},
): RulePackRelease {
  const url = flags.url ?? env['CORDON_SIGMAHQ_URL'];
  const signatureUrl = flags.signatureUrl ?? env['CORDON_RULES_SIGNATURE_URL'];
  return {
    ...(flags.publicKeyPem === undefined ? {} : { publicKeyPem: flags.publicKeyPem }),
    ...(signatureUrl === undefined || signatureUrl === '' ? {} : { signatureUrl }),
    pack: SIGMAHQ_RELEASE.pack,
    url: url ?? SIGMAHQ_RELEASE.url,
    version:
      flags.version ??
      env['CORDON_SIGMAHQ_VERSION'] ??
      (url === undefined ? SIGMAHQ_RELEASE.version : 'custom'),
    sha256: (flags.sha256 ?? env['CORDON_SIGMAHQ_SHA256'] ?? SIGMAHQ_RELEASE.sha256)?.toLowerCase(),
  };
}
