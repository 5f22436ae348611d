import 'faceswap-elements'; // registers <faceswap-session>, <faceswap-player>, <face-source-picker>
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
