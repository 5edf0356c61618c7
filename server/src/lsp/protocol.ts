// Custom messages between the client and the server (`ufoIam/*`), typed once. The client imports
// this file too, so both sides agree on names and shapes.

export namespace PreviewRequest {
  export const method = 'ufoIam/preview' as const;
  export interface Params {
    /** Any document of the project (a role file). */
    readonly uri: string;
  }
  export interface Result {
    /** The preview document's text (JSONC: comment header, then exactly `ufo-iam compile`'s JSON). */
    readonly text: string;
    /** The project root, when the document is in a UFO project. */
    readonly root?: string;
    readonly partial: boolean;
    readonly errors: number;
  }
}

/** Sent by the server when a project's compiled roles may have changed (any role file edited). */
export namespace ProjectChangedNotification {
  export const method = 'ufoIam/projectChanged' as const;
  export interface Params {
    readonly root: string;
  }
}
