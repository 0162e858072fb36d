// The MIME bundle every render function returns: render/ owns the type, session/ and kernel/ pass it on.

/** A MIME bundle as Jupyter sends it: mime type → data. 'text/plain' is always present. */
export type MimeBundle = Record<string, unknown>;
