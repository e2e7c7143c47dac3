/**
 * The port to an offline IP database (country and autonomous system of an address). The
 * server implements it over the database an npm package ships; core only asks.
 */
export interface GeoIpAnswer {
  /** ISO 3166-1 alpha-2, or null where the database has no country for it. */
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrganisation: string | null;
}

export interface GeoIpLookup {
  /** The databases behind it as name@version, recorded as the source of every answer. */
  readonly database: string;
  /** undefined for an address the database does not cover (or not an address). */
  lookup(address: string): Promise<GeoIpAnswer | undefined>;
  /**
   * Reads the databases now rather than on the first look-up, which runs inside the
   * transaction that joins an alert to its incident (a server calls it once it listens).
   */
  warm?(): Promise<void>;
}
