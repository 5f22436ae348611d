<?php
/**
 * Request validation and the `/detect` answer, ported from src/server/validation.ts and detect-result.ts so
 * both servers accept the same requests and answer the same shapes.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Detect {
	const MAX_URL_LENGTH = 2048;
	const LANDMARKS      = '/^\d+(\.\d+)?,\d+(\.\d+)?(:\d+(\.\d+)?,\d+(\.\d+)?){3}$/';

	/** @return array{kind:string,url?:string,base64?:string,width?:int,height?:int,single:bool} */
	public static function parse_request( array $body, $max_image_bytes ) {
		$single = $body['singleFace'] ?? null;
		if ( null !== $single && ! is_bool( $single ) ) {
			throw new Faceswap_Error( 'bad-request', '`singleFace` must be a boolean.' );
		}
		$has_url   = array_key_exists( 'url', $body );
		$has_image = array_key_exists( 'image', $body );
		if ( $has_url === $has_image ) {
			throw new Faceswap_Error( 'bad-request', 'Send exactly one of `url` and `image`.' );
		}
		if ( $has_url ) {
			return array( 'kind' => 'url', 'url' => self::http_url( $body['url'], '`url`' ), 'single' => true === $single );
		}
		$image = $body['image'];
		if ( ! is_string( $image ) || ! preg_match( '#^data:image/(jpeg|jpg|png|webp);base64,#i', $image, $prefix ) ) {
			throw new Faceswap_Error( 'bad-request', '`image` must be a data URL of a JPEG, PNG or WebP image (data:image/...;base64,...).' );
		}
		$base64 = preg_replace( '/\s+/', '', substr( $image, strlen( $prefix[0] ) ) );
		if ( '' === $base64 || 0 !== strlen( $base64 ) % 4 || ! preg_match( '#^[A-Za-z0-9+/]*={0,2}$#', $base64 ) ) {
			throw new Faceswap_Error( 'bad-request', '`image` is not valid base64.' );
		}
		$size = strlen( $base64 ) / 4 * 3 - ( str_ends_with( $base64, '==' ) ? 2 : ( str_ends_with( $base64, '=' ) ? 1 : 0 ) );
		if ( $size > $max_image_bytes ) {
			throw new Faceswap_Error( 'payload-too-large', "The image is $size bytes; the limit is $max_image_bytes." );
		}
		// The header is enough for the size and type: decode at most the first 256 KiB, not a second copy of the photo.
		$info = @getimagesizefromstring( base64_decode( substr( $base64, 0, 349528 ) ) ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- a bad image is an answer, not a warning.
		if ( ! $info || ! in_array( $info[2], array( IMAGETYPE_JPEG, IMAGETYPE_PNG, IMAGETYPE_WEBP ), true ) || $info[0] <= 0 || $info[1] <= 0 ) {
			throw new Faceswap_Error( 'bad-request', '`image` is not a readable JPEG, PNG or WebP image.' );
		}
		return array( 'kind' => 'image', 'base64' => $base64, 'width' => (int) $info[0], 'height' => (int) $info[1], 'single' => true === $single );
	}

	public static function http_url( $value, $name ) {
		if ( ! is_string( $value ) || '' === $value || strlen( $value ) > self::MAX_URL_LENGTH ) {
			throw new Faceswap_Error( 'bad-request', "$name must be a URL of at most " . self::MAX_URL_LENGTH . ' characters.' );
		}
		$parts = wp_parse_url( $value );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			throw new Faceswap_Error( 'bad-request', "$name is not a valid URL." );
		}
		// AKOOL downloads the image itself: plain http is refused, except on this machine (the bundled emulator).
		$scheme   = strtolower( $parts['scheme'] ?? '' );
		$loopback = (bool) preg_match( '/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/', strtolower( $parts['host'] ) );
		if ( 'https' !== $scheme && ! ( 'http' === $scheme && $loopback ) ) {
			throw new Faceswap_Error( 'bad-request', "$name must be an https URL." );
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			throw new Faceswap_Error( 'bad-request', "$name must not carry credentials." );
		}
		return $value;
	}

	public static function parse_source( $value ) {
		if ( ! is_array( $value ) || array_is_list( $value ) ) {
			throw new Faceswap_Error( 'bad-request', '`source` must be an object {path, opts}.' );
		}
		$path = self::http_url( $value['path'] ?? null, '`source.path`' );
		$opts = $value['opts'] ?? null;
		if ( ! is_string( $opts ) || strlen( $opts ) > 200 || ! preg_match( self::LANDMARKS, $opts ) ) {
			throw new Faceswap_Error( 'bad-request', '`source.opts` must be a landmark string "x1,y1:x2,y2:x3,y3:x4,y4".' );
		}
		return array( 'path' => $path, 'opts' => $opts );
	}

	/** AKOOL's detect_faces answer → the protocol's faces. */
	public static function faces( array $reply, array $input ) {
		$objects = is_array( $reply['faces_obj'] ?? null ) ? $reply['faces_obj'] : array();
		ksort( $objects, SORT_NUMERIC );
		$size  = 'image' === $input['kind'] ? array( $input['width'], $input['height'] ) : null;
		$faces = array();
		foreach ( $objects as $entry ) {
			$strings = is_array( $entry['landmarks_str'] ?? null ) ? $entry['landmarks_str'] : array();
			foreach ( $strings as $i => $text ) {
				$points = self::parse_landmarks( $text );
				if ( ! $points ) {
					continue;
				}
				$landmarks = self::format_landmarks( $points );
				$box       = self::region_to_box( $entry['region'][ $i ] ?? null, $points, $size );
				if ( 'url' === $input['kind'] ) {
					$faces[] = array( 'box' => $box, 'landmarks' => $landmarks, 'source' => array( 'path' => $input['url'], 'opts' => $landmarks ) );
					continue;
				}
				$path = $entry['face_urls'][ $i ] ?? null;
				$crop = self::parse_landmarks( $entry['crop_landmarks'][ $i ] ?? null );
				if ( ! is_string( $path ) || ! preg_match( '#^https?://#', $path ) || ! $crop ) {
					throw new Faceswap_Error( 'upstream-error', 'AKOOL detected a face but returned no face URL for it.' );
				}
				$faces[] = array( 'box' => $box, 'landmarks' => $landmarks, 'source' => array( 'path' => $path, 'opts' => self::format_landmarks( $crop ) ) );
			}
		}
		return $input['single'] ? array_slice( $faces, 0, 1 ) : $faces;
	}

	private static function parse_landmarks( $text ) {
		if ( ! is_string( $text ) ) {
			return null;
		}
		$points = array();
		foreach ( explode( ':', $text ) as $pair ) {
			$xy = explode( ',', $pair );
			if ( 2 !== count( $xy ) || ! is_numeric( $xy[0] ) || ! is_numeric( $xy[1] ) ) {
				return null;
			}
			$points[] = array( (float) $xy[0], (float) $xy[1] );
		}
		return 4 === count( $points ) ? $points : null;
	}

	private static function format_landmarks( array $points ) {
		return implode( ':', array_map( fn( $p ) => max( 0, (int) round( $p[0] ) ) . ',' . max( 0, (int) round( $p[1] ) ), $points ) );
	}

	/** `[x, y, w, h]` from a region of either documented reading; see src/server/detect-result.ts. */
	private static function region_to_box( $region, array $points, $size ) {
		$valid = is_array( $region ) && 4 === count( $region ) && count( array_filter( $region, fn( $n ) => is_int( $n ) || is_float( $n ) ) ) === 4;
		if ( ! $valid ) {
			return self::bounding_box( $points );
		}
		list( $a, $b, $c, $d ) = array_values( $region );
		$fits     = fn( $x2, $y2 ) => ! $size || ( $x2 <= $size[0] * 1.02 && $y2 <= $size[1] * 1.02 );
		$contains = function ( $x1, $y1, $x2, $y2 ) use ( $points ) {
			$mx = ( $x2 - $x1 ) * 0.15;
			$my = ( $y2 - $y1 ) * 0.15;
			foreach ( $points as $p ) {
				if ( $p[0] < $x1 - $mx || $p[0] > $x2 + $mx || $p[1] < $y1 - $my || $p[1] > $y2 + $my ) {
					return false;
				}
			}
			return true;
		};
		$as_corners = $c > $a && $d > $b && $fits( $c, $d ) && $contains( $a, $b, $c, $d );
		$as_size    = $c > 0 && $d > 0 && $fits( $a + $c, $b + $d ) && $contains( $a, $b, $a + $c, $b + $d );
		// The documented `[x, y, w, h]` wins whenever its box holds the face; corners only when it cannot.
		$corners    = ! $as_size && ( $as_corners || ( $c > $a && $d > $b ) );
		$box        = $corners ? array( $a, $b, $c - $a, $d - $b ) : array( $a, $b, $c, $d );
		return array_map( fn( $n ) => (int) round( $n ), $box );
	}

	private static function bounding_box( array $points ) {
		$xs = array_column( $points, 0 );
		$ys = array_column( $points, 1 );
		$w  = ( max( $xs ) - min( $xs ) ) * 2;
		$h  = ( max( $ys ) - min( $ys ) ) * 1.6;
		$box = array( max( 0, ( min( $xs ) + max( $xs ) ) / 2 - $w / 2 ), max( 0, min( $ys ) - $h * 0.3 ), $w, $h );
		return array_map( fn( $n ) => (int) round( $n ), $box );
	}
}
