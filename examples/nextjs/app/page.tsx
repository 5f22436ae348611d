import { LiveSwap } from './live-swap';

export default function Home() {
  return (
    <main>
      <h1>Live face swap</h1>
      <LiveSwap />
    </main>
  );
}
