<?php
/**
 * Where open sessions are tracked: one row each in `{prefix}faceswap_sessions`. Closing is claimed with one
 * conditional UPDATE, so a session is closed at AKOOL once even when the reaper and a visitor race.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Store {
	/** Closed rows are kept this long, so a late or repeated close still answers ok. */
	const CLOSED_RETENTION_MS = 600000;

	public static function table() {
		global $wpdb;
		return $wpdb->prefix . 'faceswap_sessions';
	}

	public static function install() {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE $table (
			session_id varchar(64) NOT NULL,
			client varchar(64) NOT NULL DEFAULT '',
			created_at bigint(20) NOT NULL,
			last_heartbeat_at bigint(20) NOT NULL,
			expires_at bigint(20) NOT NULL,
			closed tinyint(1) NOT NULL DEFAULT 0,
			close_reason varchar(32) NOT NULL DEFAULT '',
			closed_at bigint(20) NOT NULL DEFAULT 0,
			status varchar(16) NOT NULL DEFAULT '',
			source_updates int(11) NOT NULL DEFAULT 0,
			PRIMARY KEY  (session_id),
			KEY open_due (closed, last_heartbeat_at)
			) $charset;"
		);
	}

	public static function create( array $row ) {
		global $wpdb;
		if ( false === $wpdb->insert( self::table(), $row ) ) {
			throw new Faceswap_Error( 'upstream-error', 'The session could not be recorded.', 500 );
		}
	}

	public static function get( $session_id ) {
		global $wpdb;
		$table = self::table();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM $table WHERE session_id = %s", $session_id ), ARRAY_A );
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Takes a place for one create by `$client` under both caps, or throws `rate-limited`: a pending row (status
	 * `pending`) counted like an open session until the create settles. Checked and inserted under a named lock,
	 * so parallel creates on several PHP workers cannot both take the last place. Answers the pending row's id.
	 */
	public static function reserve( $client, $per_visitor, $total, $now, $hold_ms ) {
		global $wpdb;
		$lock = self::lock_name( 'caps' );
		if ( 1 !== (int) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 10)', $lock ) ) ) {
			throw new Faceswap_Error( 'rate-limited', 'The service is busy; try again shortly.', 503, null, array( 'Retry-After' => '2' ) );
		}
		try {
			if ( self::count_open( $client ) >= $per_visitor ) {
				throw new Faceswap_Error( 'rate-limited', "At most $per_visitor open sessions per visitor; close one first.", 429, null, array( 'Retry-After' => '30' ) );
			}
			if ( self::count_open() >= $total ) {
				throw new Faceswap_Error( 'rate-limited', 'The service is at its limit of open sessions; try again later.', 429, null, array( 'Retry-After' => '30' ) );
			}
			$id = 'pending-' . bin2hex( random_bytes( 12 ) );
			self::create(
				array(
					'session_id'        => $id,
					'client'            => $client,
					'created_at'        => $now,
					'last_heartbeat_at' => $now,
					'expires_at'        => $now + $hold_ms,
					'status'            => 'pending',
				)
			);
			return $id;
		} finally {
			$wpdb->get_var( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) );
		}
	}

	/** The pending row becomes the session AKOOL opened. */
	public static function promote( $pending_id, array $row ) {
		global $wpdb;
		if ( 1 !== (int) $wpdb->update( self::table(), $row, array( 'session_id' => $pending_id ) ) ) {
			throw new Faceswap_Error( 'upstream-error', 'The session could not be recorded.', 500 );
		}
	}

	public static function forget( $session_id ) {
		global $wpdb;
		$wpdb->delete( self::table(), array( 'session_id' => $session_id ) );
	}

	/**
	 * One of `$slots` slots of `$kind` (a MySQL named lock, held by this request's database connection, so a
	 * crashed request frees it too), or null when every slot is taken.
	 */
	public static function take_slot( $kind, $slots ) {
		global $wpdb;
		for ( $i = 0; $i < $slots; $i++ ) {
			$name = self::lock_name( "$kind-$i" );
			if ( 1 === (int) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', $name ) ) ) {
				return $name;
			}
		}
		return null;
	}

	public static function release_slot( $name ) {
		global $wpdb;
		$wpdb->get_var( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $name ) );
	}

	/** Lock names are server-wide: the database and table name keep two sites on one server apart (64 chars at most). */
	private static function lock_name( $what ) {
		global $wpdb;
		return substr( hash( 'sha256', DB_NAME . '|' . self::table() ), 0, 40 ) . "-$what";
	}

	/** Open sessions (and pending creates) of one client (for the per-visitor cap) or of everyone. */
	public static function count_open( $client = null ) {
		global $wpdb;
		$table = self::table();
		if ( null === $client ) {
			return (int) $wpdb->get_var( "SELECT COUNT(*) FROM $table WHERE closed = 0" );
		}
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM $table WHERE closed = 0 AND client = %s", $client ) );
	}

	public static function touch( $session_id, $now, $status = null ) {
		global $wpdb;
		$table = self::table();
		if ( null === $status ) {
			$wpdb->query( $wpdb->prepare( "UPDATE $table SET last_heartbeat_at = %d WHERE session_id = %s AND closed = 0", $now, $session_id ) );
		} else {
			$wpdb->query( $wpdb->prepare( "UPDATE $table SET last_heartbeat_at = %d, status = %s WHERE session_id = %s AND closed = 0", $now, $status, $session_id ) );
		}
		return self::get( $session_id );
	}

	public static function count_source_update( $session_id ) {
		global $wpdb;
		$table = self::table();
		$wpdb->query( $wpdb->prepare( "UPDATE $table SET source_updates = source_updates + 1 WHERE session_id = %s", $session_id ) );
	}

	/** True for the one caller that gets to close the session. */
	public static function claim_close( $session_id, $reason, $now ) {
		global $wpdb;
		$table = self::table();
		return 1 === (int) $wpdb->query( $wpdb->prepare( "UPDATE $table SET closed = 1, close_reason = %s, closed_at = %d WHERE session_id = %s AND closed = 0", $reason, $now, $session_id ) );
	}

	/** Gives a claim back when AKOOL's close failed, so the next reaper pass tries again. */
	public static function release_close( $session_id ) {
		global $wpdb;
		$table = self::table();
		$wpdb->query( $wpdb->prepare( "UPDATE $table SET closed = 0, close_reason = '', closed_at = 0 WHERE session_id = %s", $session_id ) );
	}

	/** Ids of open sessions that stopped heartbeating or passed their maximum length. */
	public static function list_due( $now, $heartbeat_timeout_ms ) {
		global $wpdb;
		$table = self::table();
		return $wpdb->get_col( $wpdb->prepare( "SELECT session_id FROM $table WHERE closed = 0 AND status <> 'pending' AND (last_heartbeat_at <= %d OR expires_at <= %d) LIMIT 50", $now - $heartbeat_timeout_ms, $now ) );
	}

	/** Closed rows past their retention, and pending creates whose request died before settling them. */
	public static function purge_closed( $before, $now ) {
		global $wpdb;
		$table = self::table();
		$wpdb->query( $wpdb->prepare( "DELETE FROM $table WHERE closed = 1 AND closed_at < %d", $before ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM $table WHERE status = 'pending' AND expires_at <= %d", $now ) );
	}
}
