import type { Plugin } from 'vite';

export declare function minifyTemplateLiterals(): Plugin;
export declare function minifySource(code: string, fileName?: string): string;
