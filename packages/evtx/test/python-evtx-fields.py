"""Reads evtx_dump.py's XML on stdin; prints one JSON line per record with the fields the
comparison test checks: record id, time, EventID, provider, channel, computer, and the
EventData / UserData names and values in document order."""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
# Characters XML 1.0 forbids: python-evtx writes them raw, its XML cannot be parsed with them.
INVALID = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')


def local(tag):
    return tag.rsplit('}', 1)[-1]


def text_of(element):
    return ''.join(element.itertext())


def leaves(element, out):
    children = list(element)
    if not children:
        out.append([local(element.tag), text_of(element)])
    for child in children:
        leaves(child, out)


def record_fields(event):
    system = event.find(NS + 'System')
    get = lambda name: system.find(NS + name) if system is not None else None
    provider = get('Provider')
    created = get('TimeCreated')
    fields = {
        'id': (get('EventRecordID').text if get('EventRecordID') is not None else None),
        'time': created.get('SystemTime') if created is not None else None,
        'eventId': get('EventID').text if get('EventID') is not None else None,
        'provider': provider.get('Name') if provider is not None else None,
        'channel': get('Channel').text if get('Channel') is not None else None,
        'computer': get('Computer').text if get('Computer') is not None else None,
        'data': [],
    }
    event_data = event.find(NS + 'EventData')
    if event_data is not None:
        for item in event_data:
            name = item.get('Name') if local(item.tag) == 'Data' and item.get('Name') is not None else local(item.tag)
            fields['data'].append([name, text_of(item)])
    user_data = event.find(NS + 'UserData')
    if user_data is not None:
        for child in user_data:
            leaves(child, fields['data'])
    return fields


def main():
    text = sys.stdin.read()
    for block in re.finditer(r'<Event xmlns.*?</Event>', text, re.S):
        xml = block.group(0)
        cleaned = INVALID.sub('\ufffd', xml)
        try:
            event = ET.fromstring(cleaned)
        except ET.ParseError as error:
            print(json.dumps({'unparsable': str(error)}))
            continue
        fields = record_fields(event)
        fields['cleaned'] = cleaned != xml
        print(json.dumps(fields))


main()
