/**
 * What marks a swapped picture or recording as AI-made in its metadata, shared by the browser's file marks
 * (XMP, Matroska tags) and the server's signed C2PA manifest. Pure constants: no DOM, no Node APIs.
 */

/**
 * IPTC NewsCodes digital source type "composite with elements of trained algorithmic media": the camera
 * picture is real, the face in it was produced by a trained model.
 */
export const AI_DIGITAL_SOURCE_TYPE = 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia';
/** Names the tool in `xmp:CreatorTool`, the WebM `ENCODER` tag and the C2PA claim generator. */
export const MARKING_TOOL = 'faceswap-elements';
