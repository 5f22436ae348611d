<?php
/**
 * AKOOL Live Face Swap OpenAPI over wp_remote_post: detect_faces, live create/update/close and the optional
 * live/info. The key goes only into the `x-api-key` header; no error or log line carries it.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Akool_Client {
	const DETECT_PATH = '/interface/detect-api/detect_faces';

	/** AKOOL business code → stable code: the same table as codeForAkool in src/server/akool-client.ts. */
	const CODES = array(
		1003 => 'invalid-source',
		1007 => 'invalid-source',
		1101 => 'unauthorized',
		1102 => 'unauthorized',
		1004 => 'unauthorized',
		1009 => 'unauthorized',
		1200 => 'unauthorized',
		1104 => 'quota-exhausted',
		1006 => 'quota-exhausted',
		1103 => 'quota-exhausted',
		1213 => 'quota-exhausted',
		1221 => 'quota-exhausted',
		1005 => 'rate-limited',
		1008 => 'not-found',
		1014 => 'not-found',
	);

	/** Codes by which AKOOL says a session no longer exists: a close that gets one has nothing left to do. */
	const GONE = array( 1003, 1008, 1014 );

	/** @var string */
	private $api_key;
	/** @var string */
	private $base_url;
	/** @var string */
	private $detect_url;
	/** @var int */
	private $timeout;

	public function __construct( $api_key, $base_url, $detect_url = '', $timeout = 15 ) {
		$this->api_key    = $api_key;
		$this->base_url   = rtrim( $base_url, '/' );
		$this->detect_url = '' !== $detect_url ? $detect_url : $this->base_url . self::DETECT_PATH;
		$this->timeout    = $timeout;
	}

	public function detect_faces( array $body ) {
		$reply = $this->call( $this->detect_url, $body, self::DETECT_PATH );
		if ( isset( $reply['code'] ) && is_int( $reply['code'] ) && 1000 !== $reply['code'] && ! isset( $reply['error_code'] ) ) {
			self::expect_code( $reply, self::DETECT_PATH );
		}
		if ( 0 === ( $reply['error_code'] ?? null ) ) {
			return $reply;
		}
		if ( ! is_int( $reply['error_code'] ?? null ) ) {
			throw new Faceswap_Error( 'upstream-error', 'AKOOL ' . self::DETECT_PATH . ' answered without error_code' );
		}
		throw self::detect_failure( $reply );
	}

	/** A detect `error_code` (in an HTTP 200 or a 400/500): a missing face, a photo AKOOL refused, or an account code. */
	private static function detect_failure( array $reply ) {
		$code = $reply['error_code'];
		$text = is_string( $reply['error_msg'] ?? null ) ? $reply['error_msg'] : '';
		if ( $code >= 1000 ) {
			$stable = self::CODES[ $code ] ?? 'upstream-error';
		} else {
			$stable = preg_match( '/no face|face not (found|detected)|not detect(ed)? (any )?face|0 faces/i', $text ) ? 'no-face' : 'invalid-source';
		}
		return new Faceswap_Error( $stable, 'AKOOL ' . self::DETECT_PATH . " answered error_code $code" . ( '' !== $text ? ': ' . substr( $text, 0, 200 ) : '' ), 'upstream-error' === $stable ? 502 : null, $code );
	}

	/** `$timeout`: seconds to await the answer (longer than the other calls' when late creates are awaited to be closed). */
	public function create_live( array $source_images, $timeout = null ) {
		$path  = '/api/open/v3/faceswap/live/create';
		$reply = $this->call( $this->base_url . $path, array( 'sourceImage' => $source_images ), $path, $timeout );
		self::expect_code( $reply, $path );
		$data = $reply['data'] ?? null;
		if ( ! is_array( $data ) || ! is_string( $data['_id'] ?? null ) || ! is_string( $data['front_rtc_token'] ?? null ) || ! is_string( $data['channel_id'] ?? null ) ) {
			throw new Faceswap_Error( 'upstream-error', 'AKOOL create answered without session data' );
		}
		return $data;
	}

	public function update_live( $session_id, array $source_images ) {
		$path = '/api/open/v3/faceswap/live/update';
		self::expect_code( $this->call( $this->base_url . $path, array( '_id' => $session_id, 'sourceImage' => $source_images ), $path ), $path );
	}

	public function close_live( $session_id ) {
		$path = '/api/open/v3/faceswap/live/close';
		self::expect_code( $this->call( $this->base_url . $path, array( '_id' => $session_id ), $path ), $path );
	}

	/** The undocumented status call: null when it does not exist (404) or AKOOL does not know the session. */
	public function live_info( $session_id, $timeout = 5 ) {
		$path = '/api/open/v3/faceswap/live/info';
		try {
			$reply = $this->call( $this->base_url . $path, array( '_id' => $session_id ), $path, $timeout );
		} catch ( Faceswap_Error $error ) {
			if ( 404 === ( $error->headers['x-upstream-status'] ?? null ) ) {
				return null;
			}
			throw $error;
		}
		if ( 1000 !== ( $reply['code'] ?? null ) && ( 1008 === ( $reply['code'] ?? null ) || preg_match( '/not ?found/i', (string) ( $reply['msg'] ?? '' ) ) ) ) {
			return null;
		}
		self::expect_code( $reply, $path );
		return is_array( $reply['data'] ?? null ) ? $reply['data'] : null;
	}

	/** POSTs JSON; answers the decoded object or throws a Faceswap_Error with the protocol's status. */
	private function call( $url, array $body, $path, $timeout = null ) {
		$response = wp_remote_post(
			$url,
			array(
				'timeout'     => $timeout ?? $this->timeout,
				'redirection' => 0,
				'headers'     => array(
					'content-type' => 'application/json',
					'accept'       => 'application/json',
					'x-api-key'    => $this->api_key,
				),
				'body'        => wp_json_encode( $body ),
			)
		);
		if ( is_wp_error( $response ) ) {
			$timed_out = false !== stripos( $response->get_error_message(), 'timed out' );
			throw new Faceswap_Error( 'upstream-error', $timed_out ? "AKOOL $path did not answer in time" : "AKOOL $path could not be reached", $timed_out ? 504 : 503 );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$parsed = json_decode( (string) wp_remote_retrieve_body( $response ), true, 32 );
		if ( $status < 200 || $status >= 300 ) {
			// AKOOL documents detect failures as HTTP 400/500 with error_code/error_msg.
			if ( is_array( $parsed ) && is_int( $parsed['error_code'] ?? null ) && 0 !== $parsed['error_code'] ) {
				throw self::detect_failure( $parsed );
			}
			$code = is_array( $parsed ) ? ( $parsed['code'] ?? null ) : null;
			if ( is_int( $code ) && 1000 !== $code && 0 !== $code ) {
				throw new Faceswap_Error( self::CODES[ $code ] ?? 'upstream-error', self::message( $path, $code, $parsed['msg'] ?? '' ), isset( self::CODES[ $code ] ) ? null : 502, $code );
			}
			throw new Faceswap_Error( 'upstream-error', "AKOOL $path answered HTTP $status", 502, null, array( 'x-upstream-status' => $status ) );
		}
		if ( ! is_array( $parsed ) || array_is_list( $parsed ) && array() !== $parsed ) {
			throw new Faceswap_Error( 'upstream-error', "AKOOL $path answered with a body that is not a JSON object" );
		}
		return $parsed;
	}

	private static function expect_code( array $reply, $path ) {
		$code = $reply['code'] ?? null;
		if ( 1000 === $code ) {
			return;
		}
		if ( ! is_int( $code ) ) {
			throw new Faceswap_Error( 'upstream-error', "AKOOL $path answered without a business code" );
		}
		$stable = self::CODES[ $code ] ?? 'upstream-error';
		throw new Faceswap_Error( $stable, self::message( $path, $code, $reply['msg'] ?? '' ), 'upstream-error' === $stable ? 502 : null, $code );
	}

	private static function message( $path, $code, $msg ) {
		return "AKOOL $path answered code $code" . ( is_string( $msg ) && '' !== $msg ? ': ' . substr( $msg, 0, 200 ) : '' );
	}
}
