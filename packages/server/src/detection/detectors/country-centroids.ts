/**
 * Approximate centres (latitude, longitude in degrees) of the countries logons come from most,
 * for the distance between two logons when the offline database gives countries only. A
 * country not listed gives no distance: the login-pattern detector then judges it as a new
 * country, never as impossible travel.
 */
export const COUNTRY_CENTROIDS: Readonly<Record<string, readonly [number, number]>> = {
  AR: [-34, -64],
  AT: [47.5, 14.5],
  AU: [-25, 134],
  BE: [50.8, 4.5],
  BR: [-10, -52],
  CA: [56, -106],
  CH: [46.8, 8.2],
  CL: [-30, -71],
  CN: [35, 103],
  CZ: [49.8, 15.5],
  DE: [51, 10],
  DK: [56, 10],
  EG: [26, 30],
  ES: [40, -4],
  FI: [64, 26],
  FR: [46.5, 2.5],
  GB: [54, -2],
  GR: [39, 22],
  HK: [22.3, 114.2],
  IE: [53, -8],
  IL: [31, 35],
  IN: [22, 79],
  IR: [32, 53],
  IT: [42.8, 12.8],
  JP: [36, 138],
  KR: [36, 128],
  MX: [23, -102],
  NG: [9, 8],
  NL: [52.2, 5.3],
  NO: [61, 9],
  NZ: [-41, 174],
  PL: [52, 19],
  PT: [39.5, -8],
  RO: [46, 25],
  RU: [60, 90],
  SA: [24, 45],
  SE: [62, 15],
  SG: [1.35, 103.8],
  TR: [39, 35],
  TW: [23.7, 121],
  UA: [49, 32],
  US: [39, -98],
  VN: [16, 107],
  ZA: [-29, 24],
};

/** Great-circle distance in km between two countries' centres; undefined if one is unknown. */
export function countryDistanceKm(a: string, b: string): number | undefined {
  const p = COUNTRY_CENTROIDS[a];
  const q = COUNTRY_CENTROIDS[b];
  if (!p || !q) return undefined;
  const rad = Math.PI / 180;
  const dLat = (q[0] - p[0]) * rad;
  const dLon = (q[1] - p[1]) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(p[0] * rad) * Math.cos(q[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
