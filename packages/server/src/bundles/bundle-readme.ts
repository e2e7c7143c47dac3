/** The README.txt every evidence bundle carries, for whoever receives it. */
export const BUNDLE_README = `Cordon evidence bundle
======================

manifest.json            what the bundle holds: every file with its SHA-256 and size, the
                         evidence items and their custody records, the journal segment
manifest.sig             Ed25519 signature (base64) of manifest.json by the server key
server-ed25519.pub.pem   the server's public key (compare its key id with the one published
                         by the service provider)
evidence/ID/FILE         the evidence files, byte for byte as collected
custody/ID.json          the custody record of each: who collected it, from where, when, how
journal/entries.ndjson   the tenant journal from the incident's first entry to a signed
                         checkpoint; each entry holds the SHA-256 of the one before it
journal/checkpoints.json the signed checkpoints of the journal's head, chained

Verify it offline, with no Cordon data:

    cordon verify bundle FILE.tar [--public-key KEY.pem]

It checks the manifest's signature, recomputes every journal entry's hash and link, checks the
checkpoint signatures and chain up to the checkpoint that covers the export, matches every
custody record with the journal entry that recorded it, and every file with the manifest, and
names the first thing that does not hold.

Entries of the segment that are not about this incident are included only so that the chain
from the incident's entries to the signed checkpoint can be recomputed.
`;
