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

	/** Open sessions of one client (for the per-visitor cap) or of everyone. */
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
		return $wpdb->get_col( $wpdb->prepare( "SELECT session_id FROM $table WHERE closed = 0 AND (last_heartbeat_at <= %d OR expires_at <= %d) LIMIT 50", $now - $heartbeat_timeout_ms, $now ) );
	}

	public static function purge_closed( $before ) {
		global $wpdb;
		$table = self::table();
		$wpdb->query( $wpdb->prepare( "DELETE FROM $table WHERE closed = 1 AND closed_at < %d", $before ) );
	}
}
