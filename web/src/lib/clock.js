// One shared clock for countdowns and "n minutes ago": ticks every second while used.
import { ref } from 'vue';

export const now = ref(Date.now());
let timer = null;
let users = 0;

export function useClock() {
  users++;
  now.value = Date.now();
  if (!timer) timer = setInterval(() => (now.value = Date.now()), 1000);
  return {
    now,
    stop() {
      users = Math.max(0, users - 1);
      if (!users && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
