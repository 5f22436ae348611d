import type { NextConfig } from 'next';

// Cache Components on, as new Next.js 16 apps may have it: the token endpoint's route needs no `runtime` export.
const nextConfig: NextConfig = { cacheComponents: true };

export default nextConfig;
