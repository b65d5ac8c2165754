// Types of node-launch.mjs (plain JavaScript, so that an old Node can run it) for the TypeScript that imports it.
export declare const SERVER_SEMI_SPACE_MB: number;
export declare const SERVER_NODE_FLAGS: string[];
export declare function launch(entry: string, args: string[], nodeFlags?: string[]): Promise<void>;
