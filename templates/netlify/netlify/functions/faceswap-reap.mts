// A scheduled function: closes sessions whose page went away without saying so.
import type { Config } from '@netlify/functions';
import { faceswap } from './faceswap.mts';

export default async () => {
  await faceswap.reap();
};

export const config: Config = { schedule: '* * * * *' };
