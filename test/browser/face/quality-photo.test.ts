import { describeQualityFloors } from './quality-floors.js';

// Hard photo cameras: a frontal face rolling to ±25° and back, with the demo gallery's tilted source (Ben); a still
// three-quarter, tilted face, where the detector's own estimate of the tilt is off by about 25° (the mesh must be
// found on the face turned upright, as src/engine/landmark-worker.ts does, or it lands that far off and jitters).
describeQualityFloors(
  'local engine quality on a rolling head and a three-quarter head',
  [
    ['photo-roll', 'ben'],
    ['photo-three-quarter', 'ada'],
  ],
  false,
);
