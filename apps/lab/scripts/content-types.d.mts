// Types of content-types.mjs for the main process and the tests.
export declare const CONTENT_TYPES: Readonly<Record<string, string>>;
export declare function contentTypeOf(path: string): string;
