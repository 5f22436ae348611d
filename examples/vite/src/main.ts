import 'faceswap-elements'; // registers <faceswap-session>, <faceswap-player>, <face-source-picker>

const session = document.querySelector('faceswap-session')!;
session.addEventListener('faceswap-state-change', (event) => {
  document.querySelector('#state')!.textContent = event.detail.state;
});
session.addEventListener('faceswap-error', (event) => console.warn(event.detail.code, event.detail.message));
