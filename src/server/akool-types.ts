/**
 * AKOOL OpenAPI wire shapes for Live Face Swap, field names exactly as on the wire
 * ("undocumented" marks shapes seen only in public client code).
 */

/** Business envelope of the session APIs: success is `code === 1000`. */
export interface AkoolEnvelope<T = undefined> {
  code: number;
  msg?: string;
  data?: T;
}

export interface GetTokenRequest {
  clientId: string;
  clientSecret: string;
}
/** The auth page documents `{code, token}`; some clients read `data.token`. Both are accepted. */
export interface GetTokenResponse {
  code: number;
  msg?: string;
  token?: string;
  data?: { token?: string };
}

/** `"x1,y1:x2,y2:x3,y3:x4,y4"`: left eye, right eye, nose tip, left mouth corner (AKOOL's OpenAPI). */
export type LandmarkString = string;

export interface SourceImage {
  path: string;
  opts: LandmarkString;
}

// ---- detect_faces (V3): POST /interface/detect-api/detect_faces
export interface DetectFacesRequest {
  url?: string;
  /** Base64 image; `url` wins when both are given. */
  img?: string;
  single_face?: boolean;
  return_face_url?: boolean;
  num_frames?: number;
}
/** One entry of `faces_obj`: parallel arrays, one element per face. */
export interface DetectFacesEntry {
  /** 6 points per face: left eye, right eye, nose, mouth centre, left and right mouth corner. */
  landmarks: number[][][];
  landmarks_str: LandmarkString[];
  /** Per face `[x, y, width, height]` as documented (detect-result.ts also reads corners). */
  region: number[][];
  removed?: unknown[];
  frame_time: number | null;
  crop_region?: number[][] | null;
  crop_landmarks?: LandmarkString[] | null;
  face_urls?: string[] | null;
}
export interface DetectFacesResponse {
  /** 0 success, 1 error. */
  error_code: number;
  error_msg: string;
  faces_obj?: Record<string, DetectFacesEntry>;
}

// ---- legacy detect: POST https://sg3.akool.com/detect
export interface LegacyDetectRequest {
  single_face?: boolean;
  image_url?: string;
  img?: string;
}
export interface LegacyDetectResponse {
  error_code: number;
  error_msg: string;
  landmarks?: number[][][];
  landmarks_str?: LandmarkString[];
  region?: number[][];
  seconds?: number;
  trx_id?: string;
}

// ---- live sessions: /api/open/v3/faceswap/live/{create,update,close,info}
/** 1 queuing, 2 processing (the browser may join), 3 success, 4 failed. */
export type FaceswapStatus = 1 | 2 | 3 | 4;

export interface CreateLiveRequest {
  sourceImage: SourceImage[];
  /** Undocumented for live; seen in public client code. */
  face_enhance?: number;
  /** Undocumented for live; 1, 2 or 3. */
  faceswap_quality?: number;
}
export interface LiveSession {
  _id: string;
  faceswap_status: FaceswapStatus;
  /** Agora uid for the browser, a numeric string. */
  front_user_id: string;
  /** Agora uid of AKOOL's swap worker, whose video is the swapped output. */
  algorithm_user_id: string;
  /** Agora AccessToken2 (`007...`) for `front_user_id` in `channel_id`. */
  front_rtc_token: string;
  channel_id: string;
  /** May be `""`: the App ID is then inside `front_rtc_token`. */
  app_id: string;
}
export interface UpdateLiveRequest {
  _id: string;
  sourceImage: SourceImage[];
}
export interface CloseLiveRequest {
  _id: string;
}
/** Undocumented `/live/info` answer: `faceswap_status`, or `status` in some replies. */
export interface LiveInfo {
  _id?: string;
  faceswap_status?: FaceswapStatus;
  status?: FaceswapStatus;
  [key: string]: unknown;
}
export interface QuotaInfo {
  credit: number;
}
