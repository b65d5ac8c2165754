// Types of server-flags.mjs (plain JavaScript, for the launcher) for the TypeScript that imports it.
export declare const SERVER_SEMI_SPACE_MB: number;
export declare const SERVER_NODE_FLAGS: string[];
