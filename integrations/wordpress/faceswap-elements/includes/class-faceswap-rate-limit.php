<?php
/**
 * A sliding-window request limit per client, kept in transients (the object cache when the site has one).
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Rate_Limit {
	/**
	 * Counts one request of `$client` against `$max` per `$window_s`.
	 *
	 * @return int Seconds to wait when over the limit, else 0.
	 */
	public static function take( $bucket, $client, $max, $window_s, $now_s ) {
		$key   = 'faceswap_rl_' . substr( hash( 'sha256', $bucket . '|' . $client ), 0, 32 );
		$times = get_transient( $key );
		$times = is_array( $times ) ? array_values( array_filter( $times, fn( $t ) => $t > $now_s - $window_s ) ) : array();
		if ( count( $times ) >= $max ) {
			return max( 1, (int) ceil( $times[0] + $window_s - $now_s ) );
		}
		$times[] = $now_s;
		set_transient( $key, $times, (int) ceil( $window_s ) + 1 );
		return 0;
	}
}
