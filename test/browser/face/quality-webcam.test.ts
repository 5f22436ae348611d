import { describeQualityFloors } from './quality-floors.js';

// The real webcam clip (a man talking) with two demo gallery faces: Ada (frontal) and Ben (tilted head, open
// smile), plus the negative controls.
describeQualityFloors(
  'local engine quality on the real webcam clip',
  [
    ['webcam-talking', 'ada'],
    ['webcam-talking', 'ben'],
  ],
  true,
);
