// The new-case alert: two short tones made with WebAudio, so no sound file is needed.

let context;

/** Creates the audio context; browsers allow it only after a click, so login calls this. */
export function unlockAudio() {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // no audio device (a headless browser): the title badge still alerts
  }
}

/** Plays the alert; returns false when audio is unavailable. */
export function playAlert() {
  try {
    context ??= new AudioContext();
    const start = context.currentTime + 0.01;
    for (const [offset, frequency] of [
      [0, 880],
      [0.22, 660],
    ]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.22);
    }
    return true;
  } catch {
    return false;
  }
}
