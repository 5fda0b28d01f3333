/**
 * Worker-thread entry for imaging models (decode, input rules, distribution check, the ONNX model,
 * the overlay): seconds of CPU per image, which on the main thread would stop every other request.
 * Started and fed by imageModelRunner.ts.
 */
import { serveWorkerJobs } from '../workerJobRunner';
import { computeImageModelOutcome } from './imageModelCompute';

serveWorkerJobs(computeImageModelOutcome);
