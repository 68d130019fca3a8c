/** The error body Partner Center sends: `{code, description, data, source}`. */
export interface ErrorBody {
  code: string;
  description: string;
  data: unknown[];
  source: string;
}

const ERROR_SOURCE = 'PartnerReferrals';

/**
 * A request the emulator refuses. Thrown anywhere below `handle()` and turned into a
 * response there, so a rejected request never reaches the commit step.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /** The same error with `prefix` before its description (e.g. which patch operation). */
  withPrefix(prefix: string): ApiError {
    return new ApiError(this.status, this.code, prefix + this.message, this.headers);
  }

  get body(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export function errorBody(code: string, description: string): ErrorBody {
  return { code, description, data: [], source: ERROR_SOURCE };
}

/** 400 with a code; the description must say what is wrong and where. */
export const badRequest = (code: string, description: string): ApiError => new ApiError(400, code, description);
