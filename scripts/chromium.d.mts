export declare const CHROMIUM: string;
export declare const FACE_VIDEO: string;
export declare const FACE_CAMERA_ARG: string;
export declare function chromiumArgs(options?: { autoplay?: boolean }): string[];
