/// <reference types="svelte" />
/// <reference types="vite/client" />

/** The app's version (ui/package.json), for Help → About. */
declare const __APP_VERSION__: string;
