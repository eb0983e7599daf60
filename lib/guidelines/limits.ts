/** Lengths a guideline's title and body may have; shared by the server's validation and the editor. */
export const GUIDELINE_TITLE_MAX = 200;
export const GUIDELINE_BODY_MAX = 100_000;
