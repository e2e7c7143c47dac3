/**
 * The one error type of the parser: the bytes are not what the EVTX format says they should
 * be. Parsing catches it per record or per chunk, reports it with its place, and goes on.
 */
export type EvtxErrorCode =
  | 'out-of-bounds'
  | 'bad-signature'
  | 'bad-token'
  | 'bad-value'
  | 'too-deep'
  | 'bad-size'
  | 'not-evtx';

export class EvtxFormatError extends Error {
  override readonly name = 'EvtxFormatError';
  readonly code: EvtxErrorCode;

  constructor(code: EvtxErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
