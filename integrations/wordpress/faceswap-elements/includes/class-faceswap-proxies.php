<?php
/**
 * Who the visitor is, and which host it addressed, behind proxies: the same rules as src/server/trusted-proxies.ts.
 * `Forwarded` / `X-Forwarded-For` / `X-Forwarded-Host` are read only when the peer (REMOTE_ADDR) is a configured
 * trusted proxy; from anyone else they are the visitor's own words, so a spoofed header neither escapes the
 * per-visitor caps nor makes a foreign page same-origin.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Proxies {
	const NAMED_RANGES = array(
		'loopback' => array( '127.0.0.0/8', '::1/128' ),
		'private'  => array( '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '127.0.0.0/8', '::1/128' ),
	);

	/** @var array<int,array{0:string,1:int}> Packed network address and prefix length. */
	private $ranges = array();

	/** @param string $list IP addresses, CIDR ranges, `loopback` or `private`, separated by commas, spaces or lines. */
	public function __construct( $list ) {
		foreach ( preg_split( '/[\s,]+/', (string) $list, -1, PREG_SPLIT_NO_EMPTY ) as $entry ) {
			foreach ( self::NAMED_RANGES[ strtolower( $entry ) ] ?? array( $entry ) as $range ) {
				$parsed = self::parse_range( $range );
				if ( $parsed ) {
					$this->ranges[] = $parsed;
				}
			}
		}
	}

	/** Entries of `$list` that are not an address, a range or a known name (the settings page refuses them). */
	public static function invalid_entries( $list ) {
		$invalid = array();
		foreach ( preg_split( '/[\s,]+/', (string) $list, -1, PREG_SPLIT_NO_EMPTY ) as $entry ) {
			if ( ! isset( self::NAMED_RANGES[ strtolower( $entry ) ] ) && ! self::parse_range( $entry ) ) {
				$invalid[] = $entry;
			}
		}
		return $invalid;
	}

	public function trusts( $address ) {
		$packed = self::pack( (string) $address );
		if ( null === $packed ) {
			return false;
		}
		foreach ( $this->ranges as list( $network, $bits ) ) {
			if ( strlen( $network ) === strlen( $packed ) && self::prefix( $packed, $bits ) === $network ) {
				return true;
			}
		}
		return false;
	}

	/** The peer's address, unless it is trusted: then the nearest forwarded hop that is not a trusted proxy, from the right. */
	public function client_address() {
		$peer = (string) ( $_SERVER['REMOTE_ADDR'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared, never printed.
		if ( ! $this->trusts( $peer ) ) {
			return '' !== $peer ? $peer : 'unknown';
		}
		$hops = self::forwarded_for();
		for ( $i = count( $hops ) - 1; $i >= 0; $i-- ) {
			if ( ! $this->trusts( $hops[ $i ] ) ) {
				return substr( $hops[ $i ], 0, 64 );
			}
		}
		return $hops[0] ?? $peer;
	}

	/** The host the browser addressed as a trusted proxy reports it, or null. */
	public function forwarded_host() {
		if ( ! $this->trusts( $_SERVER['REMOTE_ADDR'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
			return null;
		}
		$forwarded = self::elements( (string) ( $_SERVER['HTTP_FORWARDED'] ?? '' ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$host      = $forwarded[0]['host'] ?? explode( ',', (string) ( $_SERVER['HTTP_X_FORWARDED_HOST'] ?? '' ) )[0]; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$host      = strtolower( trim( $host ) );
		return '' !== $host ? $host : null;
	}

	/** `for=` of each `Forwarded` element, else the `X-Forwarded-For` list; ports and brackets removed. */
	private static function forwarded_for() {
		$forwarded = (string) ( $_SERVER['HTTP_FORWARDED'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$hops      = '' !== $forwarded
			? array_map( fn( $element ) => $element['for'] ?? 'unknown', self::elements( $forwarded ) )
			: array_map( 'trim', explode( ',', (string) ( $_SERVER['HTTP_X_FORWARDED_FOR'] ?? '' ) ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$hops = array_values( array_filter( $hops, fn( $hop ) => '' !== $hop ) );
		return array_map( array( __CLASS__, 'without_port' ), $hops );
	}

	/** RFC 7239 elements (comma-separated) of `name=value` pairs (semicolon-separated, values maybe quoted). */
	private static function elements( $header ) {
		if ( '' === trim( $header ) ) {
			return array();
		}
		$elements = array();
		foreach ( explode( ',', $header ) as $element ) {
			$pairs = array();
			foreach ( explode( ';', $element ) as $pair ) {
				$at = strpos( $pair, '=' );
				if ( $at > 0 ) {
					$pairs[ strtolower( trim( substr( $pair, 0, $at ) ) ) ] = preg_replace( '/^"(.*)"$/', '$1', trim( substr( $pair, $at + 1 ) ) );
				}
			}
			$elements[] = $pairs;
		}
		return $elements;
	}

	private static function without_port( $hop ) {
		if ( preg_match( '/^\[([^\]]+)\](?::\d+)?$/', $hop, $match ) ) {
			return $match[1];
		}
		return preg_match( '/^[\d.]+:\d+$/', $hop ) ? substr( $hop, 0, strpos( $hop, ':' ) ) : $hop;
	}

	/** Packed address (4 bytes, or 16 for IPv6); an IPv4-mapped IPv6 address counts as IPv4. */
	private static function pack( $address ) {
		$address = preg_replace( '/%.*$/', '', trim( $address ) );
		if ( ! filter_var( $address, FILTER_VALIDATE_IP ) ) {
			return null;
		}
		$packed = inet_pton( $address );
		if ( 16 === strlen( $packed ) && str_repeat( "\0", 10 ) . "\xff\xff" === substr( $packed, 0, 12 ) ) {
			return substr( $packed, 12 );
		}
		return $packed;
	}

	private static function parse_range( $entry ) {
		$parts  = explode( '/', $entry );
		$packed = count( $parts ) <= 2 ? self::pack( $parts[0] ) : null;
		if ( null === $packed ) {
			return null;
		}
		$width = strlen( $packed ) * 8;
		if ( isset( $parts[1] ) && ! preg_match( '/^\d{1,3}$/', $parts[1] ) ) {
			return null;
		}
		$bits = isset( $parts[1] ) ? (int) $parts[1] : $width;
		return $bits <= $width ? array( self::prefix( $packed, $bits ), $bits ) : null;
	}

	/** The address with every bit after the first `$bits` cleared. */
	private static function prefix( $packed, $bits ) {
		$out = '';
		for ( $i = 0; $i < strlen( $packed ); $i++ ) {
			$keep = max( 0, min( 8, $bits - $i * 8 ) );
			$out .= chr( ord( $packed[ $i ] ) & ( 0xff << ( 8 - $keep ) ) & 0xff );
		}
		return $out;
	}
}
