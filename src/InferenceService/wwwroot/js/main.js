// The demo page: one module per panel, each started here.
import { startDigits } from './digits.js';
import { startImages } from './images.js';
import { startText } from './text.js';
import { startRecommendations } from './recommend.js';
import { startLiveStats } from './stats.js';

startDigits();
startImages();
startText();
startRecommendations();
startLiveStats();
