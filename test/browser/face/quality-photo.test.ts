import { describeQualityFloors } from './quality-floors.js';

// A hard photo camera: a frontal face rolling to ±25° and back, with the demo gallery's tilted source (Ben).
describeQualityFloors('local engine quality on a rolling head with a tilted source', [['photo-roll', 'ben']], false);
