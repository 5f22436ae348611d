<?php
/**
 * The token-endpoint protocol on the WordPress REST API, under `/wp-json/faceswap/v1` (or
 * `?rest_route=/faceswap/v1` without pretty permalinks): the same paths, bodies, answers, error codes,
 * sessionKey ownership, reaper, maximum length, rate limits, billing budget (open-session caps, per-session
 * limits, late creates closed, detections at once), trusted proxies and CORS rules as createFaceswapHandler.
 *
 * Requests are answered from `rest_pre_dispatch`, so this class alone decides methods (405), preflights and
 * CORS for its namespace instead of WordPress's permissive defaults.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Endpoint {
	const NAMESPACE_PATH   = '/faceswap/v1';
	const SMALL_BODY_LIMIT = 16384;
	const MAX_IMAGE_BYTES  = 8388608;
	const REAP_EVERY_S     = 5;

	/** @var Faceswap_Akool_Client */
	private $client;
	/** @var array<string,mixed> */
	private $settings;
	/** @var string */
	private $secret;

	public function __construct( Faceswap_Akool_Client $client, array $settings, $secret ) {
		$this->client   = $client;
		$this->settings = $settings;
		$this->secret   = $secret;
	}

	/** The configured endpoint, or null while no AKOOL key is set (every call then answers `unauthorized`). */
	public static function from_settings() {
		$key = Faceswap_Settings::api_key();
		if ( '' === $key ) {
			return null;
		}
		$settings = Faceswap_Settings::all();
		$client   = new Faceswap_Akool_Client( $key, $settings['base_url'], $settings['detect_url'], max( 1, (int) $settings['upstream_timeout_s'] ) );
		return new self( $client, $settings, Faceswap_Settings::ensure_secret() );
	}

	public static function register() {
		add_filter( 'rest_pre_dispatch', array( __CLASS__, 'pre_dispatch' ), 5, 3 );
		add_filter( 'rest_pre_serve_request', array( __CLASS__, 'cors' ), 11, 4 );
		add_action( 'rest_api_init', array( __CLASS__, 'announce_routes' ) );
	}

	/** Lists the routes in the REST index; every request is answered by pre_dispatch before these callbacks. */
	public static function announce_routes() {
		foreach ( array( '/health', '/detect', '/sessions', '/sessions/(?P<id>[A-Za-z0-9_-]{1,64})/(?P<action>source|heartbeat|close)' ) as $route ) {
			register_rest_route(
				'faceswap/v1',
				$route,
				array(
					'methods'             => 'GET, POST',
					'callback'            => '__return_null',
					'permission_callback' => '__return_true',
				)
			);
		}
	}

	public static function is_ours( $route ) {
		return self::NAMESPACE_PATH === $route || str_starts_with( $route, self::NAMESPACE_PATH . '/' );
	}

	public static function pre_dispatch( $result, $server, $request ) {
		if ( ! self::is_ours( $request->get_route() ) ) {
			return $result;
		}
		try {
			if ( ! self::origin_allowed( self::proxies()->forwarded_host() ) ) {
				throw new Faceswap_Error( 'forbidden', 'This origin is not allowed.' );
			}
			if ( 'OPTIONS' === $request->get_method() ) {
				return new WP_REST_Response( null, 204, self::preflight_headers() );
			}
			$endpoint = self::from_settings();
			if ( ! $endpoint ) {
				throw new Faceswap_Error( 'unauthorized', 'No AKOOL API key is configured on this site (Settings → Face swap).', 503 );
			}
			$endpoint->maybe_reap();
			return $endpoint->route( $request );
		} catch ( Faceswap_Error $error ) {
			return new WP_REST_Response( $error->body(), $error->status, $error->headers );
		} catch ( Throwable $error ) {
			error_log( 'faceswap: unexpected error: ' . get_class( $error ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions -- no message: it could carry a request value.
			return new WP_REST_Response( ( new Faceswap_Error( 'upstream-error', 'The token endpoint failed unexpectedly.', 500 ) )->body(), 500 );
		}
	}

	private function route( WP_REST_Request $request ) {
		$path   = substr( $request->get_route(), strlen( self::NAMESPACE_PATH ) );
		$method = $request->get_method();
		$path   = '' === $path ? '/' : $path;
		if ( '/health' === $path ) {
			self::require_method( $method, 'GET' );
			return self::json( array( 'ok' => true, 'engine' => $this->engine() ) );
		}
		if ( '/detect' === $path ) {
			self::require_method( $method, 'POST' );
			$this->rate_limit( 'detect', (int) ( $this->settings['detects_per_minute'] ?? 30 ) );
			return self::json( $this->detect( $request ) );
		}
		if ( '/sessions' === $path ) {
			self::require_method( $method, 'POST' );
			$this->rate_limit( 'sessions', (int) $this->settings['sessions_per_minute'] );
			return self::json( $this->create_session( $request ) );
		}
		if ( preg_match( '#^/sessions/([^/]+)/(source|heartbeat|close)$#', $path, $match ) ) {
			self::require_method( $method, 'POST' );
			if ( ! preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $match[1] ) ) {
				throw new Faceswap_Error( 'not-found', 'The session does not exist.' );
			}
			$action = $match[2];
			if ( 'source' === $action ) {
				return self::json( $this->update_source( $match[1], $request ) );
			}
			if ( 'heartbeat' === $action ) {
				return self::json( $this->heartbeat( $match[1], $request ) );
			}
			return self::json( $this->close_by_client( $match[1], $request ) );
		}
		throw new Faceswap_Error( 'not-found', 'No such endpoint.' );
	}

	private function engine() {
		return 'local' === $this->settings['engine'] ? 'local' : 'akool';
	}

	/** One of the detection slots (a MySQL named lock, freed when this request's connection ends), or 503. */
	private function detect( WP_REST_Request $request ) {
		$slot = Faceswap_Store::take_slot( 'detect', max( 1, (int) $this->settings['max_concurrent_detects'] ) );
		if ( null === $slot ) {
			throw new Faceswap_Error( 'rate-limited', 'The server is busy detecting faces; try again in a moment.', 503, null, array( 'Retry-After' => '2' ) );
		}
		try {
			return $this->detect_in_slot( $request );
		} finally {
			Faceswap_Store::release_slot( $slot );
		}
	}

	private function detect_in_slot( WP_REST_Request $request ) {
		$limit = (int) ( ceil( self::MAX_IMAGE_BYTES / 3 ) * 4 + 65536 );
		$input = Faceswap_Detect::parse_request( self::read_json( $request, $limit ), self::MAX_IMAGE_BYTES );
		$reply = 'image' === $input['kind']
			? $this->client->detect_faces( array( 'img' => $input['base64'], 'single_face' => $input['single'], 'return_face_url' => true ) )
			: $this->client->detect_faces( array( 'url' => $input['url'], 'single_face' => $input['single'] ) );
		$faces = Faceswap_Detect::faces( $reply, $input );
		if ( array() === $faces ) {
			throw new Faceswap_Error( 'no-face', 'No face was found in the image.' );
		}
		return array( 'faces' => $faces, 'width' => $input['width'] ?? 0, 'height' => $input['height'] ?? 0 );
	}

	private function create_session( WP_REST_Request $request ) {
		$source  = Faceswap_Detect::parse_source( self::read_json( $request, self::SMALL_BODY_LIMIT )['source'] ?? null );
		$client  = self::proxies()->client_address();
		$timeout = max( 1, (int) $this->settings['upstream_timeout_s'] );
		$late    = max( $timeout, (int) $this->settings['late_create_timeout_s'] );
		// A place is held by a pending row while AKOOL is asked, so parallel creates cannot pass the caps together.
		$pending = Faceswap_Store::reserve( $client, (int) $this->settings['max_sessions_per_ip'], (int) $this->settings['max_sessions_total'], self::now_ms(), $late * 1000 );
		try {
			$live = $this->create_live_or_close_late( $source, $timeout, $late );
		} catch ( Throwable $error ) {
			Faceswap_Store::forget( $pending );
			throw $error;
		}
		$now = self::now_ms();
		$row = array(
			'session_id'        => $live['_id'],
			'client'            => $client,
			'created_at'        => $now,
			'last_heartbeat_at' => $now,
			'expires_at'        => $now + (int) $this->settings['max_session_min'] * 60000,
			'status'            => (string) ( $live['faceswap_status'] ?? '' ),
		);
		try {
			Faceswap_Store::promote( $pending, $row );
		} catch ( Faceswap_Error $error ) {
			// An untracked session would bill until AKOOL drops it: close it rather than hand it out.
			Faceswap_Store::forget( $pending );
			$this->close_quietly( $live['_id'] );
			throw $error;
		}
		$rtc = array(
			'appId'   => (string) ( $live['app_id'] ?? '' ),
			'channel' => $live['channel_id'],
			'uid'     => self::numeric_uid( (string) ( $live['front_user_id'] ?? '' ) ),
			'token'   => $live['front_rtc_token'],
		);
		if ( isset( $live['algorithm_user_id'] ) && '' !== $live['algorithm_user_id'] ) {
			$rtc['remoteUid'] = self::numeric_uid( (string) $live['algorithm_user_id'] );
		}
		return array(
			'sessionId'  => $live['_id'],
			'sessionKey' => $this->sign( $live['_id'] ),
			'engine'     => $this->engine(),
			'status'     => self::swap_status( $live['faceswap_status'] ?? null ),
			'rtc'        => $rtc,
			'expiresAt'  => self::iso( $row['expires_at'] ),
		);
	}

	/**
	 * AKOOL's create, awaited up to `$late` seconds. One that answers after `$timeout` (when the visitor is owed a
	 * 504, as the Node handler answers) is closed at once, so a slow create never leaves a session billing.
	 */
	private function create_live_or_close_late( array $source, $timeout, $late ) {
		ignore_user_abort( true );
		$started = microtime( true );
		$live    = $this->client->create_live( array( $source ), $late );
		if ( microtime( true ) - $started > $timeout ) {
			$this->close_quietly( $live['_id'] );
			throw new Faceswap_Error( 'upstream-error', "AKOOL /api/open/v3/faceswap/live/create did not answer within $timeout s", 504 );
		}
		return $live;
	}

	private function close_quietly( $session_id ) {
		try {
			$this->client->close_live( $session_id );
		} catch ( Faceswap_Error $error ) {
			error_log( "faceswap: closing untracked session $session_id failed: " . $error->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
		}
	}

	/** Per-session call limits (each source update is a billed AKOOL update), spent after the key check. */
	private function spend( $kind, $session_id ) {
		$max  = max( 1, (int) $this->settings[ 'source' === $kind ? 'source_updates_per_minute' : 'heartbeats_per_minute' ] );
		$wait = Faceswap_Rate_Limit::take( $kind, $session_id, $max, 60, microtime( true ) );
		if ( $wait > 0 ) {
			throw new Faceswap_Error( 'rate-limited', "At most $max {$kind} calls a minute per session; try again shortly.", 429, null, array( 'Retry-After' => (string) $wait ) );
		}
	}

	/** Checks the key before anything else, so a wrong key learns nothing about whether the session exists. */
	private function owned_session( $session_id, array $body ) {
		$key = $body['sessionKey'] ?? null;
		if ( ! is_string( $key ) || '' === $key ) {
			throw new Faceswap_Error( 'bad-request', '`sessionKey` is required.' );
		}
		if ( ! hash_equals( $this->sign( $session_id ), $key ) ) {
			throw new Faceswap_Error( 'forbidden', 'The sessionKey does not match this session.' );
		}
		$row = Faceswap_Store::get( $session_id );
		if ( ! $row ) {
			throw new Faceswap_Error( 'not-found', 'The session does not exist or has been forgotten.' );
		}
		return $row;
	}

	private function ensure_open( array $row ) {
		if ( ! (int) $row['closed'] && (int) $row['expires_at'] <= self::now_ms() ) {
			$this->close_session( $row['session_id'], 'max-length' );
			$row = Faceswap_Store::get( $row['session_id'] ) ?? $row;
		}
		if ( (int) $row['closed'] ) {
			throw new Faceswap_Error( 'conflict', 'The session is closed (' . ( '' !== $row['close_reason'] ? $row['close_reason'] : 'closed' ) . ').' );
		}
	}

	private function update_source( $session_id, WP_REST_Request $request ) {
		$body = self::read_json( $request, self::SMALL_BODY_LIMIT );
		$row  = $this->owned_session( $session_id, $body );
		$source = Faceswap_Detect::parse_source( $body['source'] ?? null );
		$this->ensure_open( $row );
		$this->spend( 'source', $session_id );
		$this->client->update_live( $session_id, array( $source ) );
		Faceswap_Store::count_source_update( $session_id );
		return array( 'ok' => true );
	}

	private function heartbeat( $session_id, WP_REST_Request $request ) {
		$row = $this->owned_session( $session_id, self::read_json( $request, self::SMALL_BODY_LIMIT ) );
		$this->ensure_open( $row );
		$this->spend( 'heartbeat', $session_id );
		$status = null;
		try {
			$info  = $this->client->live_info( $session_id );
			$value = $info['faceswap_status'] ?? ( $info['status'] ?? null );
			if ( is_int( $value ) ) {
				$status = (string) $value;
			}
		} catch ( Faceswap_Error $error ) {
			unset( $error ); // The status call is undocumented; a failing one must not end a healthy session.
		}
		$updated = Faceswap_Store::touch( $session_id, self::now_ms(), $status );
		if ( ! $updated || (int) $updated['closed'] ) {
			throw new Faceswap_Error( 'conflict', 'The session is closed.' );
		}
		if ( in_array( $status, array( '3', '4' ), true ) ) {
			// AKOOL ended it: release the row (and the visitor's place) now; this heartbeat tells the page.
			try {
				$this->close_session( $session_id, 'ended-upstream' );
			} catch ( Faceswap_Error $error ) {
				error_log( "faceswap: releasing ended session $session_id failed, the reaper will retry: " . $error->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
			}
		}
		return array( 'status' => self::swap_status( '' !== $updated['status'] ? (int) $updated['status'] : null ), 'expiresAt' => self::iso( $updated['expires_at'] ) );
	}

	private function close_by_client( $session_id, WP_REST_Request $request ) {
		$row = $this->owned_session( $session_id, self::read_json( $request, self::SMALL_BODY_LIMIT ) );
		if ( ! (int) $row['closed'] ) {
			$this->close_session( $session_id, 'client' );
		}
		return array( 'ok' => true );
	}

	/** Closes at AKOOL once; a failed close is given back so the reaper tries again. */
	private function close_session( $session_id, $reason ) {
		if ( ! Faceswap_Store::claim_close( $session_id, $reason, self::now_ms() ) ) {
			return false;
		}
		try {
			$this->client->close_live( $session_id );
		} catch ( Faceswap_Error $error ) {
			if ( in_array( $error->upstream_code, Faceswap_Akool_Client::GONE, true ) ) {
				return true; // AKOOL no longer knows the session: nothing is left to close.
			}
			Faceswap_Store::release_close( $session_id );
			throw $error;
		}
		return true;
	}

	/** Closes sessions that stopped heartbeating or passed their maximum length. */
	public function reap() {
		$now     = self::now_ms();
		$timeout = (int) $this->settings['heartbeat_timeout_s'] * 1000;
		$closed  = array();
		foreach ( Faceswap_Store::list_due( $now, $timeout ) as $session_id ) {
			$row = Faceswap_Store::get( $session_id );
			if ( ! $row ) {
				continue;
			}
			try {
				if ( $this->close_session( $session_id, (int) $row['expires_at'] <= $now ? 'max-length' : 'heartbeat-timeout' ) ) {
					$closed[] = $session_id;
				}
			} catch ( Faceswap_Error $error ) {
				error_log( "faceswap: closing session $session_id failed, will retry: " . $error->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
			}
		}
		Faceswap_Store::purge_closed( $now - Faceswap_Store::CLOSED_RETENTION_MS, $now );
		return $closed;
	}

	/** A reaper pass at most every few seconds on any request: WP-Cron alone runs only when pages are visited. */
	public function maybe_reap() {
		/** Filters whether requests run reaper passes (WP-Cron still does); tests turn it off to reap on cue. */
		if ( ! apply_filters( 'faceswap_elements_reap_on_request', true ) || get_transient( 'faceswap_reaped' ) ) {
			return;
		}
		set_transient( 'faceswap_reaped', 1, self::REAP_EVERY_S );
		$this->reap();
	}

	private function rate_limit( $bucket, $max ) {
		$wait = Faceswap_Rate_Limit::take( $bucket, self::proxies()->client_address(), max( 1, $max ), 60, microtime( true ) );
		if ( $wait > 0 ) {
			throw new Faceswap_Error( 'rate-limited', 'Too many requests; try again shortly.', 429, null, array( 'Retry-After' => (string) $wait ) );
		}
	}

	private function sign( $session_id ) {
		return rtrim( strtr( base64_encode( hash_hmac( 'sha256', $session_id, $this->secret, true ) ), '+/', '-_' ), '=' );
	}

	/** The JSON object body (any content type, so sendBeacon's text/plain works), bounded in size and depth. */
	private static function read_json( WP_REST_Request $request, $limit ) {
		$declared = (int) ( $request->get_header( 'content-length' ) ?? 0 );
		$text     = (string) $request->get_body();
		if ( $declared > $limit || strlen( $text ) > $limit ) {
			throw new Faceswap_Error( 'payload-too-large', "The request body is over $limit bytes." );
		}
		$value = json_decode( $text, true, 16 );
		if ( JSON_ERROR_NONE !== json_last_error() ) {
			throw new Faceswap_Error( 'bad-request', 'The request body is not valid JSON.' );
		}
		if ( ! is_array( $value ) || ( array_is_list( $value ) && '{}' !== trim( $text ) ) ) {
			throw new Faceswap_Error( 'bad-request', 'The request body must be a JSON object.' );
		}
		return $value;
	}

	private static function require_method( $method, $allowed ) {
		if ( $method !== $allowed ) {
			throw Faceswap_Error::method_not_allowed( $allowed );
		}
	}

	/** The configured trusted proxies (Settings → Face swap; none by default). */
	private static function proxies() {
		return new Faceswap_Proxies( (string) Faceswap_Settings::get( 'trusted_proxies' ) );
	}

	/**
	 * Same-origin (the page's own host, the site's, or the host a trusted proxy forwards) is always allowed;
	 * cross-origin only when configured.
	 */
	private static function origin_allowed( $forwarded_host ) {
		$origin = get_http_origin();
		if ( ! $origin ) {
			return true;
		}
		$allowed = Faceswap_Settings::allowed_origins();
		if ( in_array( '*', $allowed, true ) || in_array( $origin, $allowed, true ) ) {
			return true;
		}
		$host = wp_parse_url( $origin, PHP_URL_HOST ) . ( wp_parse_url( $origin, PHP_URL_PORT ) ? ':' . wp_parse_url( $origin, PHP_URL_PORT ) : '' );
		$site = wp_parse_url( home_url(), PHP_URL_HOST ) . ( wp_parse_url( home_url(), PHP_URL_PORT ) ? ':' . wp_parse_url( home_url(), PHP_URL_PORT ) : '' );
		return $host === ( $_SERVER['HTTP_HOST'] ?? '' ) || $host === $site || $host === $forwarded_host; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	}

	private static function preflight_headers() {
		return array(
			'Access-Control-Allow-Methods' => 'GET, POST, OPTIONS',
			'Access-Control-Allow-Headers' => 'content-type',
			'Access-Control-Max-Age'       => '600',
		);
	}

	/** Replaces WordPress's CORS headers (which echo any origin, with credentials) by the endpoint's own rules. */
	public static function cors( $served, $result, $request, $server ) {
		if ( ! self::is_ours( $request->get_route() ) ) {
			return $served;
		}
		foreach ( array( 'Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Expose-Headers', 'Vary' ) as $name ) {
			header_remove( $name );
		}
		$origin = get_http_origin();
		if ( $origin && self::origin_allowed( self::proxies()->forwarded_host() ) ) {
			$any = in_array( '*', Faceswap_Settings::allowed_origins(), true );
			header( 'Access-Control-Allow-Origin: ' . ( $any ? '*' : $origin ) );
			if ( ! $any ) {
				header( 'Vary: Origin' );
			}
			if ( 'OPTIONS' === $request->get_method() ) {
				foreach ( self::preflight_headers() as $name => $value ) {
					header( "$name: $value" );
				}
			}
		}
		header( 'Cache-Control: no-store' );
		return $served;
	}

	private static function json( array $body ) {
		return new WP_REST_Response( $body, 200 );
	}

	/** AKOOL's faceswap_status by name (1 queuing, 2 processing, 3 success, 4 failed); unknown is still queued. */
	private static function swap_status( $faceswap_status ) {
		return array( 2 => 'ready', 3 => 'ended', 4 => 'failed' )[ $faceswap_status ] ?? 'queued';
	}

	private static function numeric_uid( $uid ) {
		return preg_match( '/^\d{1,10}$/', $uid ) && (int) $uid < 4294967296 ? (int) $uid : $uid;
	}

	private static function now_ms() {
		return (int) floor( microtime( true ) * 1000 );
	}

	private static function iso( $ms ) {
		return gmdate( 'Y-m-d\TH:i:s', (int) floor( $ms / 1000 ) ) . sprintf( '.%03dZ', $ms % 1000 );
	}
}
